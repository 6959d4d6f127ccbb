package dev.outbox.starter;

import java.util.Map;

/**
 * A bean with an {@link OutboxEvent @OutboxEvent} method but no {@code @Transactional}: it
 * joins its caller's transaction and is proxied by the outbox post-processor alone. It
 * implements an interface, so only a class-based proxy keeps it injectable by class.
 */
public class AuditService implements Runnable {

	@OutboxEvent(aggregateType = "User", aggregateId = "#user", eventType = "LoggedIn", payload = "{ user: #user }",
			payloadType = Map.class)
	public void loggedIn(String user) {
	}

	@Override
	public void run() {
	}

}
