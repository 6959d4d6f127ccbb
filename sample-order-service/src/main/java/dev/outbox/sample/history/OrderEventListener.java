package dev.outbox.sample.history;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes the order topic the relay publishes to and feeds {@link OrderHistory}. The relay
 * puts the event id in the {@code id} header and the event type in {@code eventType}; a record
 * without them did not come from the relay and is skipped with a warning.
 */
@Component
public class OrderEventListener {

	private static final Logger logger = LoggerFactory.getLogger(OrderEventListener.class);

	private final OrderHistory history;

	public OrderEventListener(OrderHistory history) {
		this.history = history;
	}

	@KafkaListener(id = "order-history", topics = "${sample.order-events.topic}",
			groupId = "${sample.order-events.group-id}")
	void onOrderEvent(ConsumerRecord<String, String> record) {
		String id = header(record, "id");
		String eventType = header(record, "eventType");
		if (id == null || eventType == null || record.key() == null || record.value() == null) {
			logger.warn("Skipping record {}-{}@{}: not an outbox event (needs key, value and headers id, eventType)",
					record.topic(), record.partition(), record.offset());
			return;
		}
		this.history.apply(new ReceivedOrderEvent(UUID.fromString(id), eventType, record.key(), record.value()));
	}

	private static @Nullable String header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
