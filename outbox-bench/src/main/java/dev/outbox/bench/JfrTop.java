package dev.outbox.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a flight recording of the relay ({@code scripts/bench.sh --jfr} leaves them in the
 * work directory): CPU samples per thread, the hottest methods by own samples and by samples
 * including callees, allocation by class, and GC pauses.
 * <p>
 * {@code java -cp <bench class path> dev.outbox.bench.JfrTop relay-s1.jfr [top [fromEpochMillis toEpochMillis]]};
 * the drain window of each recording is in {@code relay-s1.window} next to it.
 */
public final class JfrTop {

	private JfrTop() {
	}

	public static void main(String[] args) throws Exception {
		Path file = Path.of(args[0]);
		int top = (args.length > 1) ? Integer.parseInt(args[1]) : 25;
		Map<String, Long> threads = new HashMap<>();
		Map<String, Long> self = new HashMap<>();
		Map<String, Long> total = new HashMap<>();
		Map<String, Long> allocation = new HashMap<>();
		Map<String, Long> allocationSites = new HashMap<>();
		Map<String, Long> nativeByThread = new HashMap<>();
		Map<String, Long> nativeFrames = new HashMap<>();
		long samples = 0;
		long gcPauses = 0;
		double gcPauseMillis = 0;
		long from = (args.length > 2) ? Long.parseLong(args[2]) : 0;
		long to = (args.length > 3) ? Long.parseLong(args[3]) : Long.MAX_VALUE;
		for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
			long at = event.getStartTime().toEpochMilli();
			if (at < from || at > to) {
				continue;
			}
			String type = event.getEventType().getName();
			if (type.equals("jdk.ExecutionSample")) {
				samples++;
				RecordedThread thread = event.getThread("sampledThread");
				threads.merge((thread != null) ? thread.getJavaName() : "?", 1L, Long::sum);
				RecordedStackTrace stack = event.getStackTrace();
				if (stack == null || stack.getFrames().isEmpty()) {
					continue;
				}
				List<RecordedFrame> frames = stack.getFrames();
				self.merge(name(frames.get(0)), 1L, Long::sum);
				frames.stream().map(JfrTop::name).distinct().forEach((name) -> total.merge(name, 1L, Long::sum));
			}
			else if (type.equals("jdk.NativeMethodSample")) {
				RecordedThread thread = event.getThread("sampledThread");
				String name = (thread != null) ? thread.getJavaName() : "?";
				nativeByThread.merge(name, 1L, Long::sum);
				RecordedStackTrace stack = event.getStackTrace();
				if (stack != null && !stack.getFrames().isEmpty()) {
					String where = stack.getFrames()
						.stream()
						.map(JfrTop::name)
						.filter((frame) -> frame.startsWith("dev.outbox") || frame.startsWith("org.postgresql"))
						.findFirst()
						.orElse(name(stack.getFrames().get(0)));
					nativeFrames.merge(name + " <- " + where, 1L, Long::sum);
				}
			}
			else if (type.equals("jdk.ObjectAllocationSample")) {
				long weight = event.getLong("weight");
				allocation.merge(event.getClass("objectClass").getName(), weight, Long::sum);
				RecordedStackTrace stack = event.getStackTrace();
				if (stack != null) {
					for (RecordedFrame frame : stack.getFrames()) {
						String name = name(frame);
						if (name.startsWith("dev.outbox") || name.startsWith("org.postgresql")
								|| name.startsWith("org.apache.kafka.clients.producer.KafkaProducer")) {
							allocationSites.merge(name, weight, Long::sum);
							break;
						}
					}
				}
			}
			else if (type.equals("jdk.GarbageCollection")) {
				gcPauses++;
				gcPauseMillis += event.getDuration("sumOfPauses").toNanos() / 1e6;
			}
		}
		System.out.printf(Locale.ROOT, "%s: %d CPU samples, %d GCs (%.0f ms of pauses)%n", file, samples, gcPauses,
				gcPauseMillis);
		print("samples by thread", threads, samples, top);
		print("hottest methods, own samples", self, samples, top);
		print("hottest methods, with callees", total, samples, top);
		long nativeSamples = nativeByThread.values().stream().mapToLong(Long::longValue).sum();
		print("native (blocked in I/O or waiting) samples by thread", nativeByThread, nativeSamples, top);
		print("native samples by thread and first relay/pgjdbc frame", nativeFrames, nativeSamples, top);
		long allocated = allocation.values().stream().mapToLong(Long::longValue).sum();
		print("allocation by class (sampled bytes)", allocation, allocated, top);
		print("allocation by first relay/pgjdbc/producer frame", allocationSites, allocated, top);
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static void print(String title, Map<String, Long> counts, long all, int top) {
		System.out.println();
		System.out.println(title + ":");
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(top)
			.forEach((entry) -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * entry.getValue() / Math.max(1, all),
					entry.getKey()));
	}

}
