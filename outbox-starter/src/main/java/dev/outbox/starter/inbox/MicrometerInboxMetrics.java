package dev.outbox.starter.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the {@link Inbox}'s work in Micrometer: {@value #APPLIED} and {@value #DUPLICATES},
 * each tagged with {@code consumer}.
 */
public class MicrometerInboxMetrics implements InboxMetrics {

	/** Counter of events applied, in committed transactions. */
	public static final String APPLIED = "outbox.inbox.applied";

	/** Counter of duplicate deliveries skipped, in committed transactions. */
	public static final String DUPLICATES = "outbox.inbox.duplicates";

	private final MeterRegistry registry;

	/**
	 * Create metrics.
	 * @param registry the registry to count in
	 */
	public MicrometerInboxMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void applied(String consumer) {
		counter(APPLIED, "Events applied by the inbox", consumer).increment();
	}

	@Override
	public void duplicate(String consumer) {
		counter(DUPLICATES, "Duplicate deliveries skipped by the inbox", consumer).increment();
	}

	private Counter counter(String name, String description, String consumer) {
		return Counter.builder(name).description(description).tag("consumer", consumer).register(this.registry);
	}

}
