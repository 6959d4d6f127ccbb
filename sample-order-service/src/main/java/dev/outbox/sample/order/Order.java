package dev.outbox.sample.order;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dev.outbox.sample.order.events.OrderCancelled;
import dev.outbox.sample.order.events.OrderPaid;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.sample.order.events.OrderShipped;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * The order aggregate. Each state change checks the current status first and throws
 * {@link IllegalOrderTransitionException} before touching anything, then returns (or, for
 * {@link #ship}, registers as a domain event) the event that describes it.
 */
@Entity
@Table(name = "orders")
public class Order extends AbstractAggregateRoot<Order> {

	@Id
	private UUID id = new UUID(0, 0);

	@Column(name = "customer_id", nullable = false)
	private String customerId = "";

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private OrderStatus status = OrderStatus.PLACED;

	@Column(nullable = false)
	private String currency = "";

	@Column(nullable = false)
	private BigDecimal total = BigDecimal.ZERO;

	@OneToMany(mappedBy = "order", cascade = CascadeType.ALL, orphanRemoval = true)
	@OrderBy("lineNo")
	private List<OrderLine> lines = new ArrayList<>();

	@Column(name = "payment_reference")
	private @Nullable String paymentReference;

	@Column(name = "tracking_number")
	private @Nullable String trackingNumber;

	@Column(name = "cancel_reason")
	private @Nullable String cancelReason;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt = Instant.EPOCH;

	@Column(name = "updated_at", nullable = false)
	private Instant updatedAt = Instant.EPOCH;

	@Version
	private @Nullable Long version;

	protected Order() {
	}

	/**
	 * Places a new order.
	 * @param command what is ordered
	 * @param now the time of placing
	 * @return the new, unsaved order
	 */
	public static Order place(PlaceOrder command, Instant now) {
		Order order = new Order();
		order.id = UUID.randomUUID();
		order.customerId = command.customerId();
		order.currency = command.currency();
		order.createdAt = now;
		order.updatedAt = now;
		int lineNo = 1;
		BigDecimal total = BigDecimal.ZERO;
		for (PlaceOrder.Line line : command.lines()) {
			OrderLine orderLine = new OrderLine(order, lineNo++, line.sku(), line.quantity(), scale(line.unitPrice()));
			order.lines.add(orderLine);
			total = total.add(orderLine.amount());
		}
		order.total = scale(total);
		return order;
	}

	/** @return the event describing this order as just placed */
	public OrderPlaced placedEvent() {
		List<OrderPlaced.Line> placedLines = this.lines.stream()
			.map(line -> new OrderPlaced.Line(line.sku(), line.quantity(), line.unitPrice()))
			.toList();
		return new OrderPlaced(this.id, this.customerId, this.currency, this.total, placedLines, this.createdAt);
	}

	/**
	 * Records the payment of a placed order.
	 * @param reference the payment provider's reference
	 * @param now the time of payment
	 * @return the event
	 */
	public OrderPaid pay(String reference, Instant now) {
		requireStatus("paid", OrderStatus.PLACED);
		this.status = OrderStatus.PAID;
		this.paymentReference = reference;
		this.updatedAt = now;
		return new OrderPaid(this.id, reference, this.total, this.currency, now);
	}

	/**
	 * Cancels an order that has not been shipped.
	 * @param reason why
	 * @param now the time of cancelling
	 * @return the event
	 */
	public OrderCancelled cancel(String reason, Instant now) {
		requireStatus("cancelled", OrderStatus.PLACED, OrderStatus.PAID);
		this.status = OrderStatus.CANCELLED;
		this.cancelReason = reason;
		this.updatedAt = now;
		return new OrderCancelled(this.id, reason, now);
	}

	/**
	 * Ships a paid order, registering {@link OrderShipped} as a domain event: the outbox starter
	 * writes it when the repository saves this order.
	 * @param tracking the carrier's tracking number
	 * @param now the time of shipping
	 */
	public void ship(String tracking, Instant now) {
		requireStatus("shipped", OrderStatus.PAID);
		this.status = OrderStatus.SHIPPED;
		this.trackingNumber = tracking;
		this.updatedAt = now;
		registerEvent(new OrderShipped(this.id, tracking, now));
	}

	private void requireStatus(String action, OrderStatus... allowed) {
		if (!Arrays.asList(allowed).contains(this.status)) {
			throw new IllegalOrderTransitionException(this.id, this.status, action);
		}
	}

	private static BigDecimal scale(BigDecimal amount) {
		return amount.setScale(2, RoundingMode.UNNECESSARY);
	}

	public UUID id() {
		return this.id;
	}

	public String customerId() {
		return this.customerId;
	}

	public OrderStatus status() {
		return this.status;
	}

	public String currency() {
		return this.currency;
	}

	public BigDecimal total() {
		return this.total;
	}

	public List<OrderLine> lines() {
		return Collections.unmodifiableList(this.lines);
	}

	public @Nullable String paymentReference() {
		return this.paymentReference;
	}

	public @Nullable String trackingNumber() {
		return this.trackingNumber;
	}

	public @Nullable String cancelReason() {
		return this.cancelReason;
	}

	public Instant createdAt() {
		return this.createdAt;
	}

	public Instant updatedAt() {
		return this.updatedAt;
	}

	public long version() {
		return (this.version != null) ? this.version : 0;
	}

}
