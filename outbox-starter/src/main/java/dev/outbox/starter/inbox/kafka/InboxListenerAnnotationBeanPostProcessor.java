package dev.outbox.starter.inbox.kafka;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

import dev.outbox.starter.inbox.Inbox;

/**
 * Proxies beans that have {@link InboxListener @InboxListener} methods, so that each call
 * goes through the {@link Inbox} in a transaction, and checks those methods' signatures at
 * startup.
 * <p>
 * <b>Why the listener container calls the proxy.</b> spring-kafka's
 * {@code KafkaListenerAnnotationBeanPostProcessor} registers each {@code @KafkaListener}
 * method with the bean instance it is handed, at {@link Ordered#LOWEST_PRECEDENCE}. This
 * post-processor is ordered just before it, so it hands over the proxy. The auto-proxy
 * creator (which applies {@code @Transactional}) runs before both, at highest precedence;
 * when it has already proxied the bean, this post-processor's advisor is put first in that
 * proxy's chain, so the inbox opens the transaction and a {@code @Transactional} on the same
 * method joins it. A bean that is not yet a proxy gets a proxy of its own.
 * <p>
 * The {@link Inbox} is looked up on first use, so that creating this post-processor early
 * does not create the inbox and its dependencies early.
 */
public class InboxListenerAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final long serialVersionUID = 1L;

	/** Order of this post-processor: just before spring-kafka's listener registration. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 1;

	private final transient ObjectProvider<Inbox> inbox;

	private final transient Map<Method, String> typedListeners = new ConcurrentHashMap<>();

	/**
	 * Create a post-processor.
	 * @param inbox provides the inbox the interceptor applies records through
	 */
	public InboxListenerAnnotationBeanPostProcessor(ObjectProvider<Inbox> inbox) {
		this.inbox = inbox;
		setBeforeExistingAdvisors(true);
		setOrder(ORDER);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.advisor = new DefaultPointcutAdvisor(new InboxListenerPointcut(),
				new InboxListenerMethodInterceptor(this.inbox, beanFactory));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (AnnotationUtils.isCandidateClass(targetClass, InboxListener.class)) {
			Set<Method> methods = MethodIntrospector.selectMethods(targetClass,
					(MethodIntrospector.MetadataLookup<InboxListener>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, InboxListener.class))
				.keySet();
			methods.forEach((method) -> checkSignature(method, targetClass, beanName));
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

	/**
	 * The {@code @InboxListener} methods found so far that take a typed payload.
	 * @return each method, with its name and bean for messages
	 */
	public Map<Method, String> typedListeners() {
		return Collections.unmodifiableMap(this.typedListeners);
	}

	private void checkSignature(Method method, Class<?> targetClass, String beanName) {
		String where = "@InboxListener method " + ClassUtils.getQualifiedMethodName(method, targetClass) + " of bean '"
				+ beanName + "'";
		InboxListenerSignature signature = InboxListenerSignature.of(method, where);
		InboxListener annotation = AnnotatedElementUtils.findMergedAnnotation(method, InboxListener.class);
		if (signature.typed()) {
			this.typedListeners.put(method, where);
		}
		else if (annotation != null
				&& (annotation.eventTypes().length > 0 || annotation.payloadVersions().length > 0)) {
			throw new IllegalStateException(where + " names eventTypes or payloadVersions but takes no payload "
					+ "parameter to read them into; take the payload as a record or class, or remove them");
		}
		if (method.getReturnType().isPrimitive() && method.getReturnType() != void.class) {
			throw new IllegalStateException(where + " returns " + method.getReturnType() + ", but a skipped duplicate "
					+ "returns null; return void or an object type");
		}
	}

	/**
	 * Matches methods annotated with {@link InboxListener @InboxListener}.
	 */
	static final class InboxListenerPointcut extends StaticMethodMatcherPointcut {

		InboxListenerPointcut() {
			setClassFilter((ClassFilter) (type) -> AnnotationUtils.isCandidateClass(type, InboxListener.class));
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return AnnotatedElementUtils.hasAnnotation(AopUtils.getMostSpecificMethod(method, targetClass),
					InboxListener.class);
		}

	}

}
