package dev.outbox.bench.writepath;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Orders by id.
 */
public interface BenchOrderRepository extends JpaRepository<BenchOrder, UUID> {

}
