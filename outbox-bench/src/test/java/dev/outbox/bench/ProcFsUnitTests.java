package dev.outbox.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

	@Test
	void familyTicksCountTheCpuOfAChildThatEndedAndOfOneStillRunning() throws Exception {
		long self = ProcessHandle.current().pid();
		// A child that burns about half a second of CPU and is reaped before the reading.
		Process ended = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
		assertThat(ended.waitFor()).isZero();
		Process running = new ProcessBuilder("sleep", "30").start();
		try {
			ProcFs.Stat stat = ProcFs.stat(self);
			long reaped = stat.childTicks();
			assertThat(reaped).isPositive();
			assertThat(ProcFs.familyTicks(self)).isGreaterThanOrEqualTo(stat.ticks() + reaped);
			assertThat(ProcFs.stat(running.pid()).parent()).isEqualTo(self);
		}
		finally {
			running.destroy();
		}
		assertThat(ProcFs.familyTicks(Long.MAX_VALUE)).isEqualTo(-1);
	}

	@Test
	void runQueueWaitIsTheSchedstatsSecondField() {
		assertThat(ProcFs.parseRunQueueWait("597972 1505233 4\n")).isEqualTo(1_505_233L);
		assertThatIllegalArgumentException().isThrownBy(() -> ProcFs.parseRunQueueWait("597972"))
			.withMessageContaining("schedstat");
	}

	@Test
	void theRunQueueWaitOfThisProcessIsReadAndThatOfAnEndedOneIsMinusOne() {
		assertThat(ProcFs.runQueueWaitNanos(ProcessHandle.current().pid())).isGreaterThanOrEqualTo(0);
		assertThat(ProcFs.runQueueWaitNanos(Long.MAX_VALUE)).isEqualTo(-1);
	}

}
