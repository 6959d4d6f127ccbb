package dev.outbox.relay.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.outbox.relay.event.InvalidOutboxRowException;

/**
 * Turns an aggregate type into a Kafka topic name with {@code outbox.relay.topic-template}, for
 * example {@code outbox.event.{aggregateType}}.
 * <p>
 * The placeholders are {@code {aggregateType}} and {@code {eventType}}. Results are checked against
 * Kafka's topic rules (ASCII letters, digits, '.', '_' and '-', at most 249 characters, not
 * {@code .} or {@code ..}) and cached, since a relay sees few distinct aggregate types. Thread-safe.
 */
public final class TopicTemplate {

	static final String PROPERTY = "outbox.relay.topic-template";

	private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

	private final String template;

	private final Map<String, String> topics = new ConcurrentHashMap<>();

	/**
	 * @param template the template
	 * @throws IllegalArgumentException when the template's fixed text already makes illegal names
	 */
	public TopicTemplate(String template) {
		this.template = template;
		String sample = expand("a", "b");
		if (!isLegal(sample)) {
			throw new IllegalArgumentException(PROPERTY + "='" + template + "' makes the illegal topic name '" + sample
					+ "'; use only ASCII letters, digits, '.', '_', '-' and the placeholders {aggregateType} and {eventType}");
		}
	}

	/**
	 * Returns the topic of an event.
	 * @param aggregateType the row's aggregate type
	 * @param eventType the row's event type
	 * @return a legal topic name
	 * @throws InvalidOutboxRowException when the name would be illegal
	 */
	public String topicFor(String aggregateType, String eventType) {
		String key = this.template.contains("{eventType}") ? aggregateType + '\u0000' + eventType : aggregateType;
		String cached = this.topics.get(key);
		if (cached != null) {
			return cached;
		}
		String topic = expand(aggregateType, eventType);
		if (!isLegal(topic)) {
			throw new InvalidOutboxRowException("aggregate_type '" + aggregateType + "' (event type '" + eventType
					+ "') makes the illegal Kafka topic name '" + topic + "' with " + PROPERTY + "='" + this.template
					+ "'. Topic names allow only ASCII letters, digits, '.', '_' and '-' (at most 249): "
					+ "fix the writer's aggregate type or change the template");
		}
		this.topics.put(key, topic);
		return topic;
	}

	private String expand(String aggregateType, String eventType) {
		return this.template.replace("{aggregateType}", aggregateType).replace("{eventType}", eventType);
	}

	private static boolean isLegal(String topic) {
		return LEGAL.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
	}

	@Override
	public String toString() {
		return this.template;
	}

}
