package dev.outbox.relay.sink;

import java.util.Set;
import java.util.stream.Stream;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which send errors may divert a record to the dead-letter topic, as a table. */
class SendFailureUnitTests {

	static Stream<Arguments> errors() {
		return Stream.of(
				// about the record itself: may be dead-lettered
				Arguments.of(new RecordTooLargeException("too large"), SendFailure.DEAD_LETTER),
				Arguments.of(new InvalidRecordException("invalid"), SendFailure.DEAD_LETTER),
				Arguments.of(new InvalidTimestampException("timestamp"), SendFailure.DEAD_LETTER),
				// about the topic, the cluster or the setup: stop
				Arguments.of(new TopicAuthorizationException(Set.of("t")), SendFailure.STOP),
				Arguments.of(new ClusterAuthorizationException("cluster"), SendFailure.STOP),
				Arguments.of(new PolicyViolationException("policy"), SendFailure.STOP),
				Arguments.of(new UnknownServerException("unknown"), SendFailure.STOP),
				Arguments.of(new RecordBatchTooLargeException("a whole batch"), SendFailure.STOP),
				Arguments.of(new SerializationException("serializer"), SendFailure.STOP),
				Arguments.of(new KafkaException("Producer is closed forcefully."), SendFailure.STOP),
				Arguments.of(new IllegalStateException("closed"), SendFailure.STOP),
				Arguments.of(new RecordTooLargeException("a subclass is not assumed to mean the same") {
				}, SendFailure.STOP),
				// retriable: re-read from the confirmed position
				Arguments.of(new TimeoutException("expired"), SendFailure.RESEND),
				Arguments.of(new NotLeaderOrFollowerException("moved"), SendFailure.RESEND),
				Arguments.of(new UnknownTopicOrPartitionException("not yet"), SendFailure.RESEND),
				Arguments.of(new CorruptRecordException("crc"), SendFailure.RESEND));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("errors")
	void onlyErrorsAboutTheRecordItselfMayBeDeadLettered(Throwable error, SendFailure expected) {
		assertThat(SendFailure.of(error)).isEqualTo(expected);
	}

}
