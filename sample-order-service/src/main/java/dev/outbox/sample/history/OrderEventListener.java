package dev.outbox.sample.history;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.outbox.sample.order.events.OrderEvent;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.starter.inbox.kafka.InboxListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * The payload arrives typed: {@code @InboxListener} reads the record value into the record its
 * {@code eventType} header is declared with ({@code OrderPlaced.v1} into {@link OrderPlaced}, and
 * so on: every event type of the application whose payload is an {@link OrderEvent}), and checks
 * that the record comes from the relay. A record of another event type, or without
 * {@code eventType} header, or whose value is not its event's JSON, fails to the container's
 * error handler and is never recorded as applied. Ordering needs no extra work: the relay keeps
 * each order's first deliveries in commit order (the key is the order id).
 */
@Component
public class OrderEventListener {

	/** The name of this consumer in the inbox table. */
	public static final String CONSUMER = "order-history";

	private final OrderHistory history;

	public OrderEventListener(OrderHistory history) {
		this.history = history;
	}

	@KafkaListener(id = "order-history", topics = "${sample.order-events.topic}",
			groupId = "${sample.order-events.group-id}")
	@InboxListener(consumer = CONSUMER)
	void onOrderEvent(OrderEvent event, ConsumerRecord<String, String> record) {
		this.history.apply(new ReceivedOrderEvent(UUID.fromString(header(record, InboxListener.EVENT_ID_HEADER)),
				header(record, InboxListener.EVENT_TYPE_HEADER), event));
	}

	// Present: @InboxListener refused the record before this method otherwise.
	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
