package dev.outbox.failuresuite.rig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads a child process's log (appended to across restarts) for the line a process prints at a
 * fixed point, such as a lab fault's kill point.
 */
public final class LogLines {

	private LogLines() {
	}

	/**
	 * @param log a process log; may not exist yet
	 * @param prefix what the lines start with
	 * @return how many lines start with it, 0 when there is no log yet
	 */
	public static long startingWith(Path log, String prefix) {
		if (!Files.exists(log)) {
			return 0;
		}
		try (Stream<String> lines = Files.lines(log)) {
			return lines.filter((line) -> line.startsWith(prefix)).count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
