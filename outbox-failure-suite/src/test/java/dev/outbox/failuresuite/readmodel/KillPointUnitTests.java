package dev.outbox.failuresuite.readmodel;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A poller's kill point parks it after the acknowledgement of the batch it names and of no other,
 * so that {@code poller-kill-9} kills it with a batch in Kafka that it has not recorded.
 */
class KillPointUnitTests {

	@Test
	void parksForGoodAfterTheNamedBatchAndPassesEveryEarlierOne() {
		KillPoint killPoint = new KillPoint(3);
		AtomicInteger passed = new AtomicInteger();
		Thread poller = new Thread(() -> {
			for (int batch = 1; batch <= 5; batch++) {
				killPoint.acknowledged(10);
				passed.incrementAndGet();
			}
		}, "poller");
		poller.setDaemon(true);
		poller.start();
		await("poller parked").atMost(Duration.ofSeconds(10)).until(() -> poller.getState() == Thread.State.WAITING);
		assertThat(passed).hasValue(2);
		poller.interrupt();
		await("poller still parked after an interrupt").atMost(Duration.ofSeconds(10))
			.until(() -> poller.getState() == Thread.State.WAITING);
		assertThat(passed).hasValue(2);
	}

	@Test
	void neverParksWhenUnset() {
		for (int batch = 1; batch <= 100; batch++) {
			KillPoint.NEVER.acknowledged(1);
		}
		assertThat(KillPoint.NEVER.parks()).isFalse();
		assertThat(new KillPoint(1).parks()).isTrue();
	}

	@Test
	void aNegativeBatchIsRefusedNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KillPoint(-1))
			.withMessageContaining(KillPoint.PROPERTY + " must be 0 (never) or the batch to park after, was -1");
	}

}
