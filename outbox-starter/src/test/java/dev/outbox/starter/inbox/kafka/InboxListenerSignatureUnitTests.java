package dev.outbox.starter.inbox.kafka;

import java.lang.reflect.Method;
import java.util.Arrays;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.support.Acknowledgment;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which parameter of an {@link InboxListener @InboxListener} method is its record and which its
 * typed payload.
 */
class InboxListenerSignatureUnitTests {

	@Test
	void aRecordOnlyMethodIsNotTyped() {
		assertThat(signature("record")).isEqualTo(new InboxListenerSignature(0, -1));
	}

	@Test
	void theOneParameterOfAnotherTypeIsThePayloadBesideFrameworkTypesAndHeaders() {
		assertThat(signature("payload")).isEqualTo(new InboxListenerSignature(-1, 0));
		assertThat(signature("payloadWithExtras")).isEqualTo(new InboxListenerSignature(2, 1));
	}

	@Test
	void aMethodWithNeitherOrTwoPayloadsFailsNamingWhatItTakes() {
		assertThatIllegalStateException().isThrownBy(() -> signature("text"))
			.withMessageContaining("where must take exactly one ConsumerRecord parameter")
			.withMessageContaining("takes 0 ConsumerRecord and 0 payload parameter(s) []");
		assertThatIllegalStateException().isThrownBy(() -> signature("twoPayloads"))
			.withMessageContaining("takes 0 ConsumerRecord and 2 payload parameter(s) [Placed, Placed]");
	}

	private static InboxListenerSignature signature(String name) {
		Method method = Arrays.stream(Listeners.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		return InboxListenerSignature.of(method, "where");
	}

	record Placed(String orderId) {
	}

	static class Listeners {

		void record(ConsumerRecord<String, String> record) {
		}

		void payload(Placed placed) {
		}

		void payloadWithExtras(@Header("eventType") Object eventType, Placed placed,
				ConsumerRecord<String, String> record, Acknowledgment acknowledgment, String value) {
		}

		void text(String value) {
		}

		void twoPayloads(Placed first, Placed second) {
		}

	}

}
