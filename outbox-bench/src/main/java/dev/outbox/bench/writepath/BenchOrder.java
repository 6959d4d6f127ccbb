package dev.outbox.bench.writepath;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.jspecify.annotations.Nullable;

/**
 * An order shaped like the sample service's {@code Order}: a row plus its lines, saved by
 * cascade. The business write of every write-path transaction.
 */
@Entity
@Table(name = "bench_order")
public class BenchOrder {

	@Id
	private UUID id = new UUID(0, 0);

	@Column(name = "customer_id", nullable = false)
	private String customerId = "";

	@Column(nullable = false)
	private String status = "PLACED";

	@Column(nullable = false)
	private String currency = "";

	@Column(nullable = false, precision = 14, scale = 2)
	private BigDecimal total = BigDecimal.ZERO;

	@OneToMany(mappedBy = "order", cascade = CascadeType.ALL, orphanRemoval = true)
	private List<BenchOrderLine> lines = new ArrayList<>();

	@Column(name = "created_at", nullable = false)
	private Instant createdAt = Instant.EPOCH;

	@Version
	private @Nullable Long version;

	protected BenchOrder() {
	}

	/**
	 * Places an order of two lines.
	 * @param customerId who orders
	 * @param now when
	 * @return the new, unsaved order
	 */
	public static BenchOrder place(String customerId, Instant now) {
		BenchOrder order = new BenchOrder();
		order.id = UUID.randomUUID();
		order.customerId = customerId;
		order.currency = "EUR";
		order.createdAt = now;
		order.lines.add(new BenchOrderLine(order, 1, "BOOK-1", 2, new BigDecimal("12.50")));
		order.lines.add(new BenchOrderLine(order, 2, "PEN-7", 5, new BigDecimal("2.50")));
		order.total = new BigDecimal("37.50");
		return order;
	}

	/** @return the event describing this order as placed */
	public OrderPlaced placedEvent() {
		return new OrderPlaced(this.id, this.customerId, this.currency, this.total,
				this.lines.stream().map(BenchOrderLine::asEventLine).toList(), this.createdAt, OrderPlaced.NOTE);
	}

}
