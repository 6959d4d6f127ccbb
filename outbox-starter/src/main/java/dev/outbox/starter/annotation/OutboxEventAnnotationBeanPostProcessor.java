package dev.outbox.starter.annotation;

import java.lang.reflect.Method;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxEvent;
import dev.outbox.starter.OutboxEvents;

/**
 * Proxies beans that have {@link OutboxEvent @OutboxEvent} methods, so that each call
 * publishes its events through {@link Outbox} after the method returns.
 * <p>
 * <b>Why the events land in the method's transaction.</b> Like Spring's
 * {@code MethodValidationPostProcessor}, this post-processor adds its advisor to an existing
 * proxy rather than ordering itself against other advisors: the auto-proxy creator (which
 * applies {@code @Transactional}) runs first, at highest precedence, and this advisor is
 * then appended last, so its interceptor runs innermost, inside the
 * {@code TransactionInterceptor}. A bean that is not yet a proxy gets a proxy of its own.
 * Either way, no advisor order needs configuring.
 * <p>
 * The {@link Outbox} is looked up on first use, so that creating this post-processor early
 * does not create the outbox and its dependencies early.
 */
public class OutboxEventAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final long serialVersionUID = 1L;

	private final transient ObjectProvider<Outbox> outbox;

	/**
	 * Create a post-processor.
	 * @param outbox provides the outbox the interceptor publishes to
	 */
	public OutboxEventAnnotationBeanPostProcessor(ObjectProvider<Outbox> outbox) {
		this.outbox = outbox;
		setBeforeExistingAdvisors(false);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.advisor = new DefaultPointcutAdvisor(new OutboxEventPointcut(),
				new OutboxEventMethodInterceptor(this.outbox, new OutboxEventExpressionEvaluator(beanFactory)));
	}

	/**
	 * Matches methods that carry one or more {@link OutboxEvent @OutboxEvent} annotations.
	 */
	static final class OutboxEventPointcut extends StaticMethodMatcherPointcut {

		OutboxEventPointcut() {
			setClassFilter(
					(ClassFilter) (type) -> AnnotationUtils.isCandidateClass(type, OutboxEvent.class)
							|| AnnotationUtils.isCandidateClass(type, OutboxEvents.class));
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
			return AnnotatedElementUtils.hasAnnotation(specific, OutboxEvent.class)
					|| AnnotatedElementUtils.hasAnnotation(specific, OutboxEvents.class);
		}

	}

}
