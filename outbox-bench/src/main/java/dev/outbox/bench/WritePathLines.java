package dev.outbox.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lines the JPA application of (e) prints for the harness, each a keyword and a JSON object:
 * <ul>
 * <li>{@code RESULT {"mode": "table", "events": 1, "tps": ..., "tpsRounds": "[...]",
 * "transactions": ..., "walBytesPerTx": ..., "ofNone": ..., "jvmCpuUsPerTx": ..., "pgCpuUsPerTx": ...}}
 * per variant (mode {@code none} for no event);</li>
 * <li>{@code WRITTEN {"mode": "table", "events": ...}}: every event a mode wrote, warm-up
 * included, to scale the outbox tables' counters;</li>
 * <li>{@code SAMPLE {"payload": {...}, "headers": {...} or null}}: an event as the starter
 * serializes it, for pgbench to write the same.</li>
 * </ul>
 * Other lines are ignored.
 */
public final class WritePathLines {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final List<Runs.WritePath> results = new ArrayList<>();

	private final Map<WriteMode, Long> written = new LinkedHashMap<>();

	private @Nullable Sample sample;

	/**
	 * Reads one line.
	 * @param line a line of the application's standard output
	 */
	public void accept(String line) {
		int space = line.indexOf(' ');
		if (space < 0 || !line.startsWith("{", space + 1)) {
			return;
		}
		String keyword = line.substring(0, space);
		if (!List.of("RESULT", "WRITTEN", "SAMPLE").contains(keyword)) {
			return;
		}
		JsonNode node = json.readTree(line.substring(space + 1));
		switch (keyword) {
			case "RESULT" -> {
				String mode = node.get("mode").asString();
				WritePathVariant variant = mode.equals("none") ? WritePathVariant.NONE
						: new WritePathVariant(WriteMode.of(mode), node.get("events").asInt());
				this.results.add(new Runs.WritePath(variant, node.get("tps").asDouble(), node.get("tpsRounds").asString(),
						node.get("walBytesPerTx").asDouble(), node.get("ofNone").asDouble(),
						node.get("jvmCpuUsPerTx").asDouble(), node.get("pgCpuUsPerTx").asDouble()));
			}
			case "WRITTEN" -> this.written.put(WriteMode.of(node.get("mode").asString()), node.get("events").asLong());
			default -> {
				JsonNode headers = node.get("headers");
				this.sample = new Sample(node.get("payload").toString(),
						(headers == null || headers.isNull()) ? null : headers.toString());
			}
		}
	}

	/** @return the variants' results, in the order printed */
	public List<Runs.WritePath> results() {
		return this.results;
	}

	/** @return events written per mode, warm-up included */
	public Map<WriteMode, Long> written() {
		return this.written;
	}

	/** @return the sample event, or {@code null} if none was printed */
	public @Nullable Sample sample() {
		return this.sample;
	}

	/**
	 * An event of the JPA application as the starter serializes it.
	 * @param payload the payload, JSON
	 * @param headers the headers, a JSON object, or {@code null} when it writes none
	 */
	public record Sample(String payload, @Nullable String headers) {
	}

}
