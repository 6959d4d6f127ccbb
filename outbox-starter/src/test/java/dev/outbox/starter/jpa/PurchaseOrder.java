package dev.outbox.starter.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;

import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * A JPA aggregate that registers an {@link OrderPlaced} domain event when placed.
 */
@Entity
public class PurchaseOrder extends AbstractAggregateRoot<PurchaseOrder> {

	@Id
	@GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "purchase_order_seq")
	@SequenceGenerator(name = "purchase_order_seq", sequenceName = "purchase_order_seq", allocationSize = 50)
	private Long id;

	private String customer;

	protected PurchaseOrder() {
	}

	private PurchaseOrder(String customer) {
		this.customer = customer;
	}

	/**
	 * Create a new order.
	 * @param customer the customer
	 * @return the order, not yet saved
	 */
	public static PurchaseOrder place(String customer) {
		return new PurchaseOrder(customer);
	}

	/**
	 * Register the {@link OrderPlaced} event; it is published when the repository saves
	 * this order.
	 * @return this order
	 */
	public PurchaseOrder registerPlaced() {
		registerEvent(new OrderPlaced(this.id, this.customer));
		return this;
	}

	public Long getId() {
		return this.id;
	}

	public String getCustomer() {
		return this.customer;
	}

}
