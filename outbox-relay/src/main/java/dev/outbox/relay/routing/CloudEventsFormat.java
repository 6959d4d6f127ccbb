package dev.outbox.relay.routing;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import dev.outbox.relay.event.OutboxRow;

/**
 * {@code outbox.relay.record-format=cloudevents}: every record is a CloudEvent 1.0 in the binary
 * content mode of the CloudEvents Kafka protocol binding. The value stays the payload
 * ({@code data}), the {@code content-type} header the relay writes in every format
 * ({@code application/json}) is the event's {@code datacontenttype}, and each other attribute is a
 * header named {@code ce_} and the attribute, its value in UTF-8:
 * <ul>
 * <li>{@code ce_specversion}: {@value #SPEC_VERSION};</li>
 * <li>{@code ce_id}: the event id;</li>
 * <li>{@code ce_type}: the event type;</li>
 * <li>{@code ce_source}: {@value #SOURCE_PROPERTY}, a non-empty URI-reference naming the
 * producing service, so that source and id identify the event;</li>
 * <li>{@code ce_subject}: the aggregate id;</li>
 * <li>{@code ce_time}: the record's timestamp in RFC 3339, UTC (for example
 * {@code 2026-01-02T03:04:05.678Z});</li>
 * <li>{@code ce_dataschema}: only when the event carries a schema version, the URN
 * {@code urn:outbox:schema:<event type>:<version>}, the event type percent-encoded where a URN
 * does not allow its characters (and at {@code :}, which separates the version).</li>
 * </ul>
 * The key stays the aggregate id. The partitioning extension ({@code ce_partitionkey}) is not
 * written: the binding maps the key from it only in an opt-in key mapper, and the key is already
 * the aggregate id, which {@code ce_subject} carries.
 */
public final class CloudEventsFormat implements RecordFormat {

	/** The setting of {@code ce_source}. */
	public static final String SOURCE_PROPERTY = "outbox.relay.cloudevents.source";

	/** The CloudEvents version of the records. */
	public static final String SPEC_VERSION = "1.0";

	private static final String URN_PREFIX = "urn:outbox:schema:";

	private final byte[] source;

	/**
	 * @param source the {@code ce_source} of every record
	 * @throws IllegalArgumentException naming {@value #SOURCE_PROPERTY} when the source is missing,
	 * blank or not a URI-reference
	 */
	public CloudEventsFormat(String source) {
		this.source = utf8(checkedSource(source));
	}

	private static String checkedSource(String source) {
		String fix = "; set it to a URI-reference naming the producing service, for example /order-service or "
				+ "https://example.com/order-service (the CloudEvents attribute source)";
		if (source.isBlank()) {
			throw new IllegalArgumentException(SOURCE_PROPERTY + " is required with outbox.relay.record-format="
					+ "cloudevents" + fix);
		}
		try {
			new URI(source);
			return source;
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(SOURCE_PROPERTY + "='" + source + "' is not a URI-reference ("
					+ ex.getReason() + " at index " + ex.getIndex() + ")" + fix, ex);
		}
	}

	@Override
	public void addHeaders(OutboxRow row, Instant timestamp, List<Header> headers) {
		headers.add(header("ce_specversion", SPEC_VERSION));
		headers.add(header("ce_id", row.id()));
		headers.add(header("ce_type", row.eventType()));
		headers.add(new RecordHeader("ce_source", this.source));
		headers.add(header("ce_subject", row.aggregateId()));
		headers.add(header("ce_time", timestamp.toString()));
		if (row.schemaVersion() != null) {
			headers.add(header("ce_dataschema", dataSchema(row.eventType(), row.schemaVersion())));
		}
	}

	/**
	 * The schema URN of an event type's version.
	 * @param eventType the event type
	 * @param version the schema version
	 * @return {@code urn:outbox:schema:<event type>:<version>}
	 */
	static String dataSchema(String eventType, int version) {
		StringBuilder urn = new StringBuilder(URN_PREFIX);
		for (byte b : utf8(eventType)) {
			char c = (char) (b & 0xff);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "-._~!$&'()*+,;=@/".indexOf(c) >= 0) {
				urn.append(c);
			}
			else {
				urn.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
					.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
			}
		}
		return urn.append(':').append(version).toString();
	}

	private static Header header(String name, String value) {
		return new RecordHeader(name, utf8(value));
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
