package dev.outbox.sample.order;

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
 * One line of an {@link Order}: an article, a quantity and the unit price agreed when placed.
 */
@Entity
@Table(name = "order_line")
public class OrderLine {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "order_id")
	private @Nullable Order order;

	@Column(name = "line_no", nullable = false)
	private int lineNo;

	@Column(nullable = false)
	private String sku = "";

	@Column(nullable = false)
	private int quantity;

	@Column(name = "unit_price", nullable = false)
	private BigDecimal unitPrice = BigDecimal.ZERO;

	protected OrderLine() {
	}

	OrderLine(Order order, int lineNo, String sku, int quantity, BigDecimal unitPrice) {
		this.order = order;
		this.lineNo = lineNo;
		this.sku = sku;
		this.quantity = quantity;
		this.unitPrice = unitPrice;
	}

	public int lineNo() {
		return this.lineNo;
	}

	public String sku() {
		return this.sku;
	}

	public int quantity() {
		return this.quantity;
	}

	public BigDecimal unitPrice() {
		return this.unitPrice;
	}

	BigDecimal amount() {
		return this.unitPrice.multiply(BigDecimal.valueOf(this.quantity));
	}

}
