package dev.outbox.starter.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Repository of {@link PurchaseOrder}s; saving publishes their domain events.
 */
public interface PurchaseOrderRepository extends JpaRepository<PurchaseOrder, Long> {

}
