package dev.outbox.sample.order;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Orders by id. Saving an order publishes the domain events registered on it.
 */
public interface OrderRepository extends JpaRepository<Order, UUID> {

}
