package dev.outbox.bench.writepath;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * One line of a {@link BenchOrder}, with an identity key as the sample's {@code OrderLine} has.
 */
@Entity
@Table(name = "bench_order_line")
public class BenchOrderLine {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "order_id")
	private @Nullable BenchOrder order;

	@Column(name = "line_no", nullable = false)
	private int lineNo;

	@Column(nullable = false)
	private String sku = "";

	@Column(nullable = false)
	private int quantity;

	@Column(name = "unit_price", nullable = false, precision = 12, scale = 2)
	private BigDecimal unitPrice = BigDecimal.ZERO;

	protected BenchOrderLine() {
	}

	BenchOrderLine(BenchOrder order, int lineNo, String sku, int quantity, BigDecimal unitPrice) {
		this.order = order;
		this.lineNo = lineNo;
		this.sku = sku;
		this.quantity = quantity;
		this.unitPrice = unitPrice;
	}

	OrderPlaced.Line asEventLine() {
		return new OrderPlaced.Line(this.sku, this.quantity, this.unitPrice);
	}

}
