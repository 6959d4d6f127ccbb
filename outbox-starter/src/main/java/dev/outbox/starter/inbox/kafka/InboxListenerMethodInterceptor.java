package dev.outbox.starter.inbox.kafka;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.outbox.starter.inbox.Inbox;

/**
 * Runs an {@link InboxListener @InboxListener} method through the {@link Inbox}: reads the
 * event id from the record, opens (or joins) a transaction, and lets the inbox run the method
 * body once per event and consumer. See {@link InboxListener} for the contract.
 * <p>
 * A checked exception from the body is carried through the transaction callback unchecked,
 * so the transaction rolls back on it as on any other, then rethrown as is.
 */
final class InboxListenerMethodInterceptor implements MethodInterceptor {

	private final ObjectProvider<Inbox> inbox;

	private final BeanFactory beanFactory;

	private final Map<Method, Listener> listeners = new ConcurrentHashMap<>(16);

	private final Map<String, TransactionTemplate> transactions = new ConcurrentHashMap<>(4);

	InboxListenerMethodInterceptor(ObjectProvider<Inbox> inbox, BeanFactory beanFactory) {
		this.inbox = inbox;
		this.beanFactory = beanFactory;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		if (target == null) {
			return invocation.proceed();
		}
		Class<?> targetClass = AopUtils.getTargetClass(target);
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
		Listener listener = this.listeners.computeIfAbsent(method, (key) -> listener(key, targetClass));
		if (listener == Listener.NONE) {
			return invocation.proceed();
		}
		String eventId;
		if (listener.signature().typed()) {
			ReceivedPayloads.Received received = ReceivedPayloads.take(method,
					invocation.getArguments()[listener.signature().payload()]);
			if (received == null) {
				throw new MissingEventIdException("@InboxListener method " + listener.method() + " was called with a "
						+ "payload the listener container did not read from a record, so the inbox has no event id "
						+ "to apply it once by");
			}
			if (received.skipped()) {
				return null;
			}
			eventId = received.eventId();
		}
		else {
			eventId = eventId(record(invocation.getArguments(), listener), listener);
		}
		String consumer = consumer(listener);
		Inbox inbox = this.inbox.getObject();
		try {
			return transaction(listener).execute((status) -> {
				Object[] result = new Object[1];
				inbox.applyOnce(consumer, eventId, () -> result[0] = proceed(invocation));
				return result[0];
			});
		}
		catch (CheckedBodyException ex) {
			throw ex.getCause();
		}
	}

	private Listener listener(Method method, Class<?> targetClass) {
		InboxListener annotation = AnnotatedElementUtils.findMergedAnnotation(method, InboxListener.class);
		if (annotation == null) {
			return Listener.NONE;
		}
		String consumer = annotation.consumer();
		if (StringUtils.hasText(consumer) && this.beanFactory instanceof ConfigurableBeanFactory configurable) {
			String resolved = configurable.resolveEmbeddedValue(consumer);
			consumer = (resolved != null) ? resolved : consumer;
		}
		String name = ClassUtils.getQualifiedMethodName(method, targetClass);
		return new Listener(name, consumer.trim(), annotation.transactionManager(),
				InboxListenerSignature.of(method, "@InboxListener method " + name));
	}

	private static ConsumerRecord<?, ?> record(@Nullable Object[] arguments, Listener listener) {
		for (Object argument : arguments) {
			if (argument instanceof ConsumerRecord<?, ?> record) {
				return record;
			}
		}
		throw new MissingEventIdException("@InboxListener method " + listener.method() + " was called without a "
				+ "ConsumerRecord, so the inbox has no event id to apply it once by");
	}

	private static String eventId(ConsumerRecord<?, ?> record, Listener listener) {
		Header header = record.headers().lastHeader(InboxListener.EVENT_ID_HEADER);
		String id = (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8)
				: null;
		if (!StringUtils.hasText(id)) {
			throw MissingEventIdException.of(
					"Record " + record.topic() + "-" + record.partition() + "@" + record.offset(), header != null,
					listener.method());
		}
		return id;
	}

	private static String consumer(Listener listener) {
		if (!listener.consumer().isEmpty()) {
			return listener.consumer();
		}
		String groupId = KafkaUtils.getConsumerGroupId();
		if (!StringUtils.hasText(groupId)) {
			throw new IllegalStateException("@InboxListener method " + listener.method() + " names no consumer and "
					+ "runs outside a listener container with a group id; set @InboxListener(consumer = \"...\")");
		}
		return groupId;
	}

	private TransactionTemplate transaction(Listener listener) {
		return this.transactions.computeIfAbsent(listener.transactionManager(),
				(name) -> new TransactionTemplate(transactionManager(name, listener)));
	}

	private PlatformTransactionManager transactionManager(String name, Listener listener) {
		if (StringUtils.hasText(name)) {
			return this.beanFactory.getBean(name, PlatformTransactionManager.class);
		}
		PlatformTransactionManager manager = this.beanFactory.getBeanProvider(PlatformTransactionManager.class)
			.getIfUnique();
		if (manager == null) {
			throw new IllegalStateException("@InboxListener method " + listener.method() + " needs a transaction "
					+ "manager for the inbox's DataSource, but the application has no single or primary "
					+ "PlatformTransactionManager; name one with @InboxListener(transactionManager = \"...\")");
		}
		return manager;
	}

	private static @Nullable Object proceed(MethodInvocation invocation) {
		try {
			return invocation.proceed();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new CheckedBodyException(ex);
		}
	}

	/**
	 * What an {@code @InboxListener} method needs, resolved once.
	 *
	 * @param method the method's qualified name, for messages
	 * @param consumer the inbox consumer name, empty for the consumer group id
	 * @param transactionManager the transaction manager bean name, empty for the default
	 * @param signature where the method takes its record and payload
	 */
	private record Listener(String method, String consumer, String transactionManager,
			InboxListenerSignature signature) {

		static final Listener NONE = new Listener("", "", "", new InboxListenerSignature(0, -1));

	}

	/**
	 * Carries a checked exception of the method body through the transaction callback.
	 */
	private static final class CheckedBodyException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		CheckedBodyException(Throwable cause) {
			super(cause);
		}

		@Override
		public synchronized Throwable getCause() {
			Throwable cause = super.getCause();
			return (cause != null) ? cause : this;
		}

	}

}
