package dev.outbox.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcFsUnitTests {

	@Test
	void statLineWithSpacesInTheCommandName() {
		String line = "4702 (java (broker)) S 1 4701 4701 0 -1 4194560 58470 0 0 0 1530 270 7 3 20 0 60 0 3380 "
				+ "2795646976 98470 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 0 0 0 0 0 0";
		ProcFs.Stat stat = ProcFs.parseStat(4702, line);
		assertThat(stat.parent()).isEqualTo(1);
		assertThat(stat.ticks()).isEqualTo(1530 + 270);
		assertThat(stat.childTicks()).isEqualTo(7 + 3);
	}

	@Test
	void ownProcessIsReadable() {
		long pid = ProcessHandle.current().pid();
		assertThat(ProcFs.cpuSeconds(pid)).isGreaterThanOrEqualTo(0);
		assertThat(ProcFs.rssBytes(pid)).isPositive();
		assertThat(ProcFs.threadTicks(pid)).containsKey("VM Thread"); // the main thread is named "java"
		assertThat(ProcFs.cpuSeconds(Long.MAX_VALUE)).isEqualTo(-1);
	}

}
