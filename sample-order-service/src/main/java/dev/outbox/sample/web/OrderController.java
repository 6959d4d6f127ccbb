package dev.outbox.sample.web;

import java.net.URI;
import java.util.UUID;

import dev.outbox.sample.order.OrderService;
import dev.outbox.sample.order.OrderView;
import dev.outbox.sample.order.PlaceOrder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The order API. Each change answers with the order as it now is; errors are RFC 9457 problem
 * details (see {@link ProblemDetailsAdvice}).
 * <pre>
 * POST /orders              {"customerId":"c-1","currency":"EUR",
 *                            "lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":12.50}]}
 * GET  /orders/{id}
 * POST /orders/{id}/pay     {"paymentReference":"PAY-1"}
 * POST /orders/{id}/cancel  {"reason":"changed my mind"}
 * POST /orders/{id}/ship    {"trackingNumber":"TRACK-1"}
 * </pre>
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

	private final OrderService orders;

	public OrderController(OrderService orders) {
		this.orders = orders;
	}

	@PostMapping
	public ResponseEntity<OrderView> place(@Valid @RequestBody PlaceOrder command) {
		UUID id = this.orders.place(command).orderId();
		return ResponseEntity.created(URI.create("/orders/" + id)).body(this.orders.get(id));
	}

	@GetMapping("/{id}")
	public OrderView get(@PathVariable UUID id) {
		return this.orders.get(id);
	}

	@PostMapping("/{id}/pay")
	public OrderView pay(@PathVariable UUID id, @Valid @RequestBody Payment payment) {
		this.orders.pay(id, payment.paymentReference());
		return this.orders.get(id);
	}

	@PostMapping("/{id}/cancel")
	public OrderView cancel(@PathVariable UUID id, @Valid @RequestBody Cancellation cancellation) {
		this.orders.cancel(id, cancellation.reason());
		return this.orders.get(id);
	}

	@PostMapping("/{id}/ship")
	public OrderView ship(@PathVariable UUID id, @Valid @RequestBody Shipment shipment) {
		this.orders.ship(id, shipment.trackingNumber());
		return this.orders.get(id);
	}

	/**
	 * Body of {@code POST /orders/{id}/pay}.
	 * @param paymentReference the payment provider's reference
	 */
	public record Payment(@NotBlank @Size(max = 100) String paymentReference) {
	}

	/**
	 * Body of {@code POST /orders/{id}/cancel}.
	 * @param reason why the order is cancelled
	 */
	public record Cancellation(@NotBlank @Size(max = 500) String reason) {
	}

	/**
	 * Body of {@code POST /orders/{id}/ship}.
	 * @param trackingNumber the carrier's tracking number
	 */
	public record Shipment(@NotBlank @Size(max = 100) String trackingNumber) {
	}

}
