package dev.outbox.starter.inbox.kafka;

import java.lang.reflect.Method;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Hands the event id of a record from {@link InboxPayloadArgumentResolver}, which reads the
 * payload parameter of an {@link InboxListener @InboxListener} method before the call, to
 * {@link InboxListenerMethodInterceptor}, which applies the call through the inbox, when the
 * method takes no {@code ConsumerRecord} to read it from.
 * <p>
 * Both run on the listener container's thread for the same record, the resolver just before
 * the method is called through its proxy. The interceptor takes (and clears) what was handed
 * over, and uses it only if it was handed for the same method <em>and the very payload object
 * it is called with</em> (identity, not equality): a payload left behind by a call that failed
 * between the two steps, or a direct call with an equal payload, never lends its event id.
 */
final class ReceivedPayloads {

	private static final ThreadLocal<Received> CURRENT = new ThreadLocal<>();

	private ReceivedPayloads() {
	}

	/**
	 * Hand over what was read from a record.
	 * @param method the listener method
	 * @param eventId the record's event id
	 * @param payload the payload read, {@code null} for a record the method skips
	 */
	static void hand(Method method, String eventId, @Nullable Object payload) {
		CURRENT.set(new Received(method, eventId, payload));
	}

	/**
	 * Take what was handed over for this call.
	 * @param method the method called
	 * @param argument the payload argument it is called with
	 * @return what was handed over for this very payload, or {@code null}
	 */
	static @Nullable Received take(Method method, @Nullable Object argument) {
		Received received = CURRENT.get();
		CURRENT.remove();
		if (received == null || received.payload() != argument || !sameMethod(received.method(), method)) {
			return null;
		}
		return received;
	}

	private static boolean sameMethod(Method a, Method b) {
		return a.getName().equals(b.getName()) && Arrays.equals(a.getParameterTypes(), b.getParameterTypes());
	}

	/**
	 * What was read from one record.
	 *
	 * @param method the listener method
	 * @param eventId the event id
	 * @param payload the payload, {@code null} when skipped
	 */
	record Received(Method method, String eventId, @Nullable Object payload) {

		/**
		 * Whether the method skips this record.
		 * @return {@code true} when no payload was read
		 */
		boolean skipped() {
			return this.payload == null;
		}

	}

}
