package dev.outbox.failuresuite.workload;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workload's consumer applies a record to the aggregate its key names, and a record sent
 * without a key (the lab's key {@code none}) to the aggregate its payload names.
 */
class InboxConsumerUnitTests {

	@Test
	void aKeyedRecordIsAppliedToItsKeysAggregate() {
		assertThat(InboxConsumer.aggregate(new ConsumerRecord<>("t", 0, 0, "acct-1", "{\"aggregate\":\"acct-1\",\"seq\":2}")))
			.isEqualTo("acct-1");
	}

	@Test
	void aRecordWithoutAKeyIsAppliedToTheAggregateItsPayloadNames() {
		assertThat(InboxConsumer.aggregate(new ConsumerRecord<>("t", 3, 9, null, "{\"aggregate\":\"acct-7\",\"seq\":5}")))
			.isEqualTo("acct-7");
		assertThat(AccountChanged.parse("{\"aggregate\":\"acct-7\",\"seq\":5}")).isEqualTo(new AccountChanged("acct-7", 5));
	}

}
