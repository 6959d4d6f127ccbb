package dev.outbox.starter.jpa;

import java.util.Map;

import org.springframework.transaction.annotation.Transactional;

import dev.outbox.starter.OutboxEvent;

/**
 * A JPA business service of the test application.
 */
public class PurchaseOrderService {

	private final PurchaseOrderRepository repository;

	public PurchaseOrderService(PurchaseOrderRepository repository) {
		this.repository = repository;
	}

	/**
	 * Save an order and its domain event in one transaction.
	 * @param customer the customer
	 * @return the saved order
	 */
	@Transactional
	public PurchaseOrder place(String customer) {
		PurchaseOrder order = this.repository.save(PurchaseOrder.place(customer));
		return this.repository.save(order.registerPlaced());
	}

	/**
	 * Save an order and publish an event with the annotation, in one JPA transaction.
	 * @param customer the customer
	 * @return the saved order
	 */
	@Transactional
	@OutboxEvent(aggregateType = "PurchaseOrder", aggregateId = "#result.id", eventType = "PurchaseOrderCreated",
			payload = "{ customer: #customer }", payloadType = Map.class)
	public PurchaseOrder create(String customer) {
		return this.repository.save(PurchaseOrder.place(customer));
	}

}
