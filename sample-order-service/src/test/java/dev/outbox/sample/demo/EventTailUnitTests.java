package dev.outbox.sample.demo;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the demo prints for each record: where it is, its key, every header, its payload.
 */
class EventTailUnitTests {

	@Test
	void printsTopicPartitionOffsetKeyHeadersAndPayload() {
		ConsumerRecord<String, String> record = new ConsumerRecord<>("outbox.event.order", 2, 7, "order-1",
				"{\"orderId\":\"order-1\"}");
		record.headers().add("id", "0198a6a2".getBytes(StandardCharsets.UTF_8));
		record.headers().add("eventType", "OrderPlaced.v1".getBytes(StandardCharsets.UTF_8));
		record.headers().add("aggregateType", "order".getBytes(StandardCharsets.UTF_8));

		assertThat(EventTail.format(record)).isEqualTo("""
				topic=outbox.event.order partition=2 offset=7 key=order-1 id=0198a6a2 eventType=OrderPlaced.v1 \
				aggregateType=order
				    payload={"orderId":"order-1"}""");
	}

}
