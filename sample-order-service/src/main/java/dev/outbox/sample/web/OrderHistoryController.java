package dev.outbox.sample.web;

import java.util.List;
import java.util.UUID;

import dev.outbox.sample.history.OrderHistory;
import dev.outbox.sample.history.OrderHistoryEntry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /orders/{id}/history}: the order's status history as the Kafka consumer has applied
 * it so far. It lags the order by the relay's and the consumer's latency, and is empty until the
 * first event arrives.
 */
@RestController
public class OrderHistoryController {

	private final OrderHistory history;

	public OrderHistoryController(OrderHistory history) {
		this.history = history;
	}

	@GetMapping("/orders/{id}/history")
	public List<OrderHistoryEntry> history(@PathVariable UUID id) {
		return this.history.of(id);
	}

}
