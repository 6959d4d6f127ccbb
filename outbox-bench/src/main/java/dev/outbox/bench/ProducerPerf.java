package dev.outbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (b) Kafka's produce ceiling: Kafka's own {@code org.apache.kafka.tools.ProducerPerformance} in
 * a JVM of its own, records of the benchmark's payload size, {@code acks=all}, idempotence on,
 * {@code linger.ms=5}, {@code batch.size=262144}, unthrottled.
 */
public final class ProducerPerf {

	private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), "
			+ "([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

	private ProducerPerf() {
	}

	/**
	 * Runs the tool.
	 * @param classpath a class path holding kafka-tools and its few dependencies
	 * @param bootstrap Kafka
	 * @param topic the topic, which should exist
	 * @param records how many records
	 * @param log where its output goes
	 * @return the tool's summary
	 * @throws Exception when it fails
	 */
	public static Result run(String classpath, String bootstrap, String topic, long records, Path log) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xms512m", "-Xmx512m", "-cp", classpath, "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
				"--num-records", Long.toString(records), "--record-size", Integer.toString(EventPayload.SIZE),
				"--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all",
				"enable.idempotence=true", "linger.ms=5", "batch.size=262144"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("ProducerPerformance did not finish; see " + log);
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("ProducerPerformance exited with " + process.exitValue() + "; see " + log);
		}
		return parse(Files.readAllLines(log));
	}

	/**
	 * Finds the tool's final summary line.
	 * @param output its output
	 * @return the figures
	 * @throws IOException when there is no summary
	 */
	static Result parse(List<String> output) throws IOException {
		Result last = null;
		for (String line : output) {
			Matcher matcher = SUMMARY.matcher(line);
			if (matcher.find()) {
				last = new Result(Long.parseLong(matcher.group(1)), Double.parseDouble(matcher.group(2)),
						Double.parseDouble(matcher.group(3)), Double.parseDouble(matcher.group(4)),
						Double.parseDouble(matcher.group(5)), Long.parseLong(matcher.group(6)),
						Long.parseLong(matcher.group(8)));
			}
		}
		if (last == null) {
			throw new IOException("no ProducerPerformance summary in its output");
		}
		return last;
	}

	/**
	 * The tool's summary.
	 * @param records records sent
	 * @param recordsPerSecond throughput
	 * @param megabytesPerSecond throughput in MB/s
	 * @param avgLatencyMs average send → ack latency
	 * @param maxLatencyMs max latency
	 * @param p50LatencyMs median latency
	 * @param p99LatencyMs 99th percentile latency
	 */
	public record Result(long records, double recordsPerSecond, double megabytesPerSecond, double avgLatencyMs,
			double maxLatencyMs, long p50LatencyMs, long p99LatencyMs) {
	}

}
