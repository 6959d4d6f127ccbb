package dev.outbox.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.assertj.core.api.AssertProvider;

/**
 * Outbox events published by committed transactions, captured in memory: inject it into a test
 * annotated with {@link AutoConfigureOutboxTestKit}. Events of a transaction that rolled back
 * are never here. Cleared before each test method.
 * <p>
 * A read-only, filterable view, modelled on Spring Modulith's {@code PublishedEvents}:
 * {@link #ofType(String)}, {@link #forAggregate(String, String)}, {@link #matching} narrow it,
 * and AssertJ's {@code assertThat(events)} gives {@link CapturedOutboxEventsAssert}:
 * <pre>{@code
 * assertThat(events).contains("OrderPlaced.v1")
 *     .forAggregate("order", orderId.toString())
 *     .matching(OrderPlaced.class, OrderPlaced::customerId, "c-42");
 * }</pre>
 */
public class CapturedOutboxEvents implements AssertProvider<CapturedOutboxEventsAssert> {

	private final Supplier<List<CapturedOutboxEvent>> source;

	/**
	 * A view of events; the bean reads the recorder live, filtered views are fixed.
	 * @param source the events, read on every call
	 */
	CapturedOutboxEvents(Supplier<List<CapturedOutboxEvent>> source) {
		this.source = source;
	}

	/** @return every captured event, in commit order, then publish order */
	public List<CapturedOutboxEvent> all() {
		return List.copyOf(this.source.get());
	}

	/** @return the captured events grouped by committed transaction, in commit order */
	public List<List<CapturedOutboxEvent>> byTransaction() {
		List<List<CapturedOutboxEvent>> transactions = new ArrayList<>();
		int current = 0;
		for (CapturedOutboxEvent event : all()) {
			if (event.transaction() != current) {
				transactions.add(new ArrayList<>());
				current = event.transaction();
			}
			transactions.get(transactions.size() - 1).add(event);
		}
		return transactions.stream().map(List::copyOf).toList();
	}

	/**
	 * The events of one event type.
	 * @param eventType the event type, as published
	 * @return a view of those events
	 */
	public CapturedOutboxEvents ofType(String eventType) {
		return filter((event) -> event.eventType().equals(eventType));
	}

	/**
	 * The events of one aggregate.
	 * @param aggregateType the aggregate type
	 * @param aggregateId the aggregate id
	 * @return a view of those events
	 */
	public CapturedOutboxEvents forAggregate(String aggregateType, String aggregateId) {
		return filter((event) -> event.aggregateType().equals(aggregateType)
				&& event.aggregateId().equals(aggregateId));
	}

	/**
	 * The events whose payload, read as a type, matches.
	 * @param <T> the payload type
	 * @param type the payload type
	 * @param predicate the condition on the payload
	 * @return a view of those events
	 */
	public <T> CapturedOutboxEvents matching(Class<T> type, Predicate<? super T> predicate) {
		return filter((event) -> predicate.test(event.payloadAs(type)));
	}

	/**
	 * The events whose payload, read as a type, has a value.
	 * @param <T> the payload type
	 * @param <S> the value's type
	 * @param type the payload type
	 * @param extractor reads the value from the payload, e.g. {@code OrderPlaced::orderId}
	 * @param value the expected value
	 * @return a view of those events
	 */
	public <T, S> CapturedOutboxEvents matching(Class<T> type, Function<? super T, S> extractor, S value) {
		return matching(type, (payload) -> Objects.equals(extractor.apply(payload), value));
	}

	/**
	 * The events matching a condition on the whole event (headers, raw JSON payload).
	 * @param predicate the condition
	 * @return a view of those events
	 */
	public CapturedOutboxEvents filter(Predicate<? super CapturedOutboxEvent> predicate) {
		List<CapturedOutboxEvent> matching = all().stream().filter(predicate).toList();
		return new CapturedOutboxEvents(() -> matching);
	}

	/**
	 * The payloads of the events, read as a type.
	 * @param <T> the payload type
	 * @param type the payload type
	 * @return the payloads, in order
	 */
	public <T> List<T> payloads(Class<T> type) {
		return all().stream().map((event) -> event.payloadAs(type)).toList();
	}

	/** @return the events as a stream */
	public Stream<CapturedOutboxEvent> stream() {
		return all().stream();
	}

	/** @return the number of events in this view */
	public int size() {
		return all().size();
	}

	/** @return whether this view has no event */
	public boolean isEmpty() {
		return all().isEmpty();
	}

	@Override
	public CapturedOutboxEventsAssert assertThat() {
		return new CapturedOutboxEventsAssert(this);
	}

	@Override
	public String toString() {
		return all().toString();
	}

}
