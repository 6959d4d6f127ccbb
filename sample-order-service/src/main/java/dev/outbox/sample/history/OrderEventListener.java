package dev.outbox.sample.history;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.outbox.starter.inbox.kafka.InboxListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes the order topic the relay publishes to and feeds {@link OrderHistory}, once per event.
 * <p>
 * The relay delivers at least once: after a crash or a Kafka retry the same event (same {@code id}
 * header) can arrive again, possibly much later. {@link InboxListener @InboxListener} takes care of
 * it: for each record it opens a transaction, records the {@code id} header in the starter's inbox
 * table under the consumer {@value #CONSUMER}, and runs this method only for an id it had not
 * recorded; the history row is written in that same transaction, so the record and the row commit
 * or roll back together. A record without {@code id} header fails before this method runs.
 * <p>
 * A record without {@code eventType} header, key or value did not come from the relay: it is
 * skipped with a warning (and, its id being recorded, stays skipped). Ordering needs no extra
 * work: the relay keeps each order's first deliveries in commit order (the key is the order id).
 */
@Component
public class OrderEventListener {

	/** The name of this consumer in the inbox table. */
	public static final String CONSUMER = "order-history";

	private static final Logger logger = LoggerFactory.getLogger(OrderEventListener.class);

	private final OrderHistory history;

	public OrderEventListener(OrderHistory history) {
		this.history = history;
	}

	@KafkaListener(id = "order-history", topics = "${sample.order-events.topic}",
			groupId = "${sample.order-events.group-id}")
	@InboxListener(consumer = CONSUMER)
	void onOrderEvent(ConsumerRecord<String, String> record) {
		String id = header(record, InboxListener.EVENT_ID_HEADER);
		String eventType = header(record, "eventType");
		if (id == null || eventType == null || record.key() == null || record.value() == null) {
			logger.warn("Skipping record {}-{}@{}: not an outbox event (needs key, value and header eventType)",
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
