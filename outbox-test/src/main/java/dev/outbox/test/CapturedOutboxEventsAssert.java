package dev.outbox.test;

import java.util.function.Function;
import java.util.function.Predicate;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on {@link CapturedOutboxEvents}, in the manner of Spring Modulith's
 * {@code AssertablePublishedEvents}: each narrowing step fails, listing what was captured, when
 * nothing is left.
 * <pre>{@code
 * assertThat(events).contains("OrderPlaced.v1").forAggregate("order", id).matching(OrderPlaced.class,
 *         OrderPlaced::total, new BigDecimal("19.98"));
 * assertThat(events).isEmpty();
 * }</pre>
 */
public class CapturedOutboxEventsAssert extends AbstractAssert<CapturedOutboxEventsAssert, CapturedOutboxEvents> {

	private final CapturedOutboxEvents all;

	CapturedOutboxEventsAssert(CapturedOutboxEvents events) {
		this(events, events);
	}

	private CapturedOutboxEventsAssert(CapturedOutboxEvents events, CapturedOutboxEvents all) {
		super(events, CapturedOutboxEventsAssert.class);
		this.all = all;
	}

	/**
	 * Assert at least one event of a type was captured, and narrow to those.
	 * @param eventType the event type
	 * @return assertions on the events of that type
	 */
	public CapturedOutboxEventsAssert contains(String eventType) {
		return narrow(this.actual.ofType(eventType), "of event type '" + eventType + "'");
	}

	/**
	 * Assert no event of a type was captured.
	 * @param eventType the event type
	 * @return this
	 */
	public CapturedOutboxEventsAssert doesNotContain(String eventType) {
		CapturedOutboxEvents found = this.actual.ofType(eventType);
		if (!found.isEmpty()) {
			failWithMessage("Expected no outbox event of type '%s' but found %s", eventType, found);
		}
		return this;
	}

	/**
	 * Assert at least one of the events belongs to an aggregate, and narrow to those.
	 * @param aggregateType the aggregate type
	 * @param aggregateId the aggregate id
	 * @return assertions on those events
	 */
	public CapturedOutboxEventsAssert forAggregate(String aggregateType, String aggregateId) {
		return narrow(this.actual.forAggregate(aggregateType, aggregateId),
				"of aggregate " + aggregateType + " '" + aggregateId + "'");
	}

	/**
	 * Assert at least one of the events has a payload that matches, and narrow to those.
	 * @param <T> the payload type
	 * @param type the payload type
	 * @param predicate the condition on the payload
	 * @return assertions on those events
	 */
	public <T> CapturedOutboxEventsAssert matching(Class<T> type, Predicate<? super T> predicate) {
		return narrow(this.actual.matching(type, predicate), "whose " + type.getSimpleName() + " payload matches");
	}

	/**
	 * Assert at least one of the events has a payload with a value, and narrow to those.
	 * @param <T> the payload type
	 * @param <S> the value's type
	 * @param type the payload type
	 * @param extractor reads the value from the payload
	 * @param value the expected value
	 * @return assertions on those events
	 */
	public <T, S> CapturedOutboxEventsAssert matching(Class<T> type, Function<? super T, S> extractor, S value) {
		return narrow(this.actual.matching(type, extractor, value),
				"whose " + type.getSimpleName() + " payload has the value " + value);
	}

	/**
	 * Assert the number of events in this view.
	 * @param expected the number
	 * @return this
	 */
	public CapturedOutboxEventsAssert hasSize(int expected) {
		if (this.actual.size() != expected) {
			failWithMessage("Expected %d outbox events but found %d: %s", expected, this.actual.size(), this.actual);
		}
		return this;
	}

	/**
	 * Assert no event is in this view.
	 * @return this
	 */
	public CapturedOutboxEventsAssert isEmpty() {
		return hasSize(0);
	}

	private CapturedOutboxEventsAssert narrow(CapturedOutboxEvents narrowed, String what) {
		if (narrowed.isEmpty()) {
			failWithMessage("Expected an outbox event %s among %s; captured in all: %s", what, this.actual, this.all);
		}
		return new CapturedOutboxEventsAssert(narrowed, this.all);
	}

}
