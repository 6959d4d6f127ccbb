package dev.outbox.test;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Clears the captured events before each test method, so that a cached application context does
 * not carry one test's events into the next. Does nothing for a context without the test kit.
 * Registered in {@code META-INF/spring.factories}.
 */
public class CapturedOutboxEventsResetListener extends AbstractTestExecutionListener {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		context.getBeanProvider(OutboxEventRecorder.class).ifAvailable(OutboxEventRecorder::clear);
	}

	@Override
	public int getOrder() {
		// After dependency injection and before @BeforeEach.
		return 2100;
	}

}
