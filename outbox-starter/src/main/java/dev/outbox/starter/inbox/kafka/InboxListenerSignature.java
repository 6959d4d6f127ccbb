package dev.outbox.starter.inbox.kafka;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.adapter.ConsumerRecordMetadata;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

/**
 * Where an {@link InboxListener @InboxListener} method takes its {@code ConsumerRecord} and its
 * typed payload, read from the method's parameters; the one place that says which parameter is
 * the payload.
 *
 * @param record index of the {@code ConsumerRecord} parameter, or -1
 * @param payload index of the payload parameter, or -1
 */
record InboxListenerSignature(int record, int payload) {

	private static final Set<Class<?>> NOT_PAYLOAD = Set.of(String.class, byte[].class, Acknowledgment.class,
			Consumer.class, ConsumerRecordMetadata.class, Message.class);

	/**
	 * Read a method's signature.
	 * @param method the method
	 * @param where the method and its bean, for messages
	 * @return its signature
	 * @throws IllegalStateException if it has no, or two, {@code ConsumerRecord} or payload
	 * parameters
	 */
	static InboxListenerSignature of(Method method, String where) {
		List<Integer> records = new ArrayList<>();
		List<Integer> payloads = new ArrayList<>();
		Class<?>[] types = method.getParameterTypes();
		Annotation[][] annotations = method.getParameterAnnotations();
		for (int i = 0; i < types.length; i++) {
			if (ConsumerRecord.class.isAssignableFrom(types[i])) {
				records.add(i);
			}
			else if (isPayload(types[i], annotations[i])) {
				payloads.add(i);
			}
		}
		if (records.size() > 1 || payloads.size() > 1 || (records.isEmpty() && payloads.isEmpty())) {
			throw new IllegalStateException(where + " must take exactly one ConsumerRecord parameter, from which the "
					+ "inbox reads the event id (header '" + InboxListener.EVENT_ID_HEADER + "'), or one payload "
					+ "parameter (a record or class the value is read into by its '" + InboxListener.EVENT_TYPE_HEADER
					+ "' header) and at most one ConsumerRecord, but takes " + records.size()
					+ " ConsumerRecord and " + payloads.size() + " payload parameter(s) " + payloads.stream()
						.map((index) -> types[index].getSimpleName())
						.toList()
					+ "; batch listeners are not supported");
		}
		return new InboxListenerSignature(records.isEmpty() ? -1 : records.get(0),
				payloads.isEmpty() ? -1 : payloads.get(0));
	}

	private static boolean isPayload(Class<?> type, Annotation[] annotations) {
		if (type.isPrimitive() || NOT_PAYLOAD.stream().anyMatch((excluded) -> excluded.isAssignableFrom(type))) {
			return false;
		}
		for (Annotation annotation : annotations) {
			if (annotation instanceof Header || annotation instanceof Headers) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the method takes a typed payload.
	 * @return {@code true} with a payload parameter
	 */
	boolean typed() {
		return this.payload >= 0;
	}

}
