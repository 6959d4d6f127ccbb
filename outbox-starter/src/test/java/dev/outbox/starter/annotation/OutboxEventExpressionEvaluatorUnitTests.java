package dev.outbox.starter.annotation;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.expression.EvaluationContext;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxEventExpressionEvaluatorUnitTests {

	private final OutboxEventExpressionEvaluator evaluator = new OutboxEventExpressionEvaluator(
			new DefaultListableBeanFactory());

	@Test
	void expressionKeepsItsValueOnceCompiledAndWhenTheResultTypeChangesAfterwards() throws Exception {
		Method method = Placing.class.getMethod("place", String.class);
		AnnotatedElementKey element = new AnnotatedElementKey(method, Placing.class);
		// Past SpEL's compile threshold (100 interpreted runs), then with another result type,
		// which a compiled expression cannot take: it must fall back, not fail.
		for (int i = 0; i < 500; i++) {
			EvaluationContext context = this.evaluator.createContext(method, new Object[] { "c-" + i },
					new Placing(), new Placed("order-" + i));
			assertThat(this.evaluator.evaluate("#result.orderId()", element, context)).isEqualTo("order-" + i);
			assertThat(this.evaluator.evaluate("#p0", element, context)).isEqualTo("c-" + i);
		}
		EvaluationContext other = this.evaluator.createContext(method, new Object[] { "c" }, new Placing(),
				new Shipped("order-x"));
		assertThat(this.evaluator.evaluate("#result.orderId()", element, other)).isEqualTo("shipped order-x");
	}

	public static class Placing {

		public Placed place(String customerId) {
			return new Placed(customerId);
		}

	}

	public record Placed(String orderId) {
	}

	public record Shipped(String id) {

		public String orderId() {
			return "shipped " + this.id;
		}

	}

}
