package dev.outbox.relay.checkpoint;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The two confirmation rules of {@link LsnCheckpoint} (commit rule, idle rule), its bounded
 * window, and the freeze on a permanent failure, one behaviour per test.
 */
class LsnCheckpointUnitTests {

	private static final long START = 1_000;

	private final LsnCheckpoint checkpoint = new LsnCheckpoint(8, START);

	@Test
	void startPositionIsConfirmableUntilSomethingNewerIs() {
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(START);
		assertThat(this.checkpoint.lastReceivedLsn()).isEqualTo(START);
		assertThat(this.checkpoint.inFlight()).isZero();
	}

	@Test
	void commitIsConfirmableOnlyOnceEveryEventOfItIsAcked() {
		this.checkpoint.beginTransaction();
		long first = register("e1", 1_010);
		long second = register("e2", 1_020);
		this.checkpoint.commitTransaction(1_100);

		this.checkpoint.ack(second);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(START);

		this.checkpoint.ack(first);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(1_100);
	}

	@Test
	void outOfOrderAcksAcrossTransactionsConfirmOnlyTheFullyAckedPrefix() {
		this.checkpoint.beginTransaction();
		long e1 = register("e1", 1_010);
		long e2 = register("e2", 1_020);
		this.checkpoint.commitTransaction(1_100);
		this.checkpoint.beginTransaction();
		long e3 = register("e3", 1_110);
		this.checkpoint.commitTransaction(1_200);
		this.checkpoint.beginTransaction();
		long e4 = register("e4", 1_210);
		long e5 = register("e5", 1_220);
		this.checkpoint.commitTransaction(1_300);

		this.checkpoint.ack(e5);
		this.checkpoint.ack(e3);
		this.checkpoint.ack(e1);
		assertThat(this.checkpoint.confirmableLsn()).as("e2 still holds transaction 1").isEqualTo(START);

		this.checkpoint.ack(e2);
		assertThat(this.checkpoint.confirmableLsn()).as("transactions 1 and 2 done, e4 holds 3").isEqualTo(1_200);

		this.checkpoint.ack(e4);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(1_300);
	}

	@Test
	void eventsAckedBeforeTheirCommitIsReadAreConfirmableAtTheCommit() {
		this.checkpoint.beginTransaction();
		this.checkpoint.ack(register("e1", 1_010));
		this.checkpoint.ack(register("e2", 1_020));
		this.checkpoint.observeReceivedLsn(1_020);
		assertThat(this.checkpoint.confirmableLsn()).as("the transaction may have more events").isEqualTo(START);

		this.checkpoint.commitTransaction(1_100);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(1_100);
	}

	@Test
	void transactionsWithoutEventsAreConfirmableOnceEverythingBeforeThemIsAcked() {
		this.checkpoint.beginTransaction();
		long e1 = register("e1", 1_010);
		this.checkpoint.commitTransaction(1_100);
		for (long end = 1_200; end <= 1_500; end += 100) {
			this.checkpoint.beginTransaction();
			this.checkpoint.commitTransaction(end);
		}
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(START);

		this.checkpoint.ack(e1);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(1_500);
	}

	@Test
	void transactionWithoutEventsAndNothingInFlightIsConfirmableAtOnce() {
		this.checkpoint.beginTransaction();
		this.checkpoint.commitTransaction(1_100);

		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(1_100);
	}

	@Test
	void idleCheckpointConfirmsTheLatestReceivedPosition() {
		this.checkpoint.observeReceivedLsn(5_000);

		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(5_000);
		assertThat(this.checkpoint.lastReceivedLsn()).isEqualTo(5_000);
	}

	@Test
	void receivedPositionIsNotConfirmedWhileATransactionIsOpen() {
		this.checkpoint.beginTransaction();
		this.checkpoint.observeReceivedLsn(5_000);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(START);

		this.checkpoint.commitTransaction(6_000);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(6_000);

		this.checkpoint.observeReceivedLsn(7_000);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(7_000);
	}

	@Test
	void receivedPositionIsNotConfirmedWhileAnEventIsUnacked() {
		this.checkpoint.beginTransaction();
		long e1 = register("e1", 1_010);
		this.checkpoint.commitTransaction(1_100);
		this.checkpoint.observeReceivedLsn(5_000);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(START);

		this.checkpoint.ack(e1);
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(5_000);
	}

	@Test
	void confirmablePositionNeverMovesBack() {
		this.checkpoint.observeReceivedLsn(5_000);
		this.checkpoint.observeReceivedLsn(4_000);

		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(5_000);
		assertThat(this.checkpoint.lastReceivedLsn()).isEqualTo(5_000);
	}

	@Test
	void fullWindowRefusesEventsUntilTheOldestIsAcked() {
		LsnCheckpoint small = new LsnCheckpoint(2, START);
		small.beginTransaction();
		long e0 = small.tryRegister("e0", 1_010);
		long e1 = small.tryRegister("e1", 1_020);
		assertThat(small.tryRegister("e2", 1_030)).isEqualTo(LsnCheckpoint.NO_CAPACITY);
		assertThat(small.inFlight()).isEqualTo(2);

		small.ack(e1);
		assertThat(small.tryRegister("e2", 1_030)).as("e0 still holds the window").isEqualTo(LsnCheckpoint.NO_CAPACITY);

		small.ack(e0);
		assertThat(small.inFlight()).isZero();
		assertThat(small.tryRegister("e2", 1_030)).isEqualTo(2);
	}

	@Test
	void transactionLargerThanTheCapacityFlowsAndIsConfirmedAtItsCommit() {
		LsnCheckpoint small = new LsnCheckpoint(3, START);
		Deque<Long> outstanding = new ArrayDeque<>();
		small.beginTransaction();
		for (int i = 0; i < 10; i++) {
			long ticket;
			while ((ticket = small.tryRegister("e" + i, 1_010 + i)) == LsnCheckpoint.NO_CAPACITY) {
				small.ack(outstanding.removeFirst()); // Kafka acknowledges the oldest send
			}
			outstanding.addLast(ticket);
			assertThat(small.inFlight()).isLessThanOrEqualTo(3);
		}
		outstanding.forEach(small::ack);
		assertThat(small.confirmableLsn()).as("every event acked, but the commit is not read yet").isEqualTo(START);

		small.commitTransaction(2_000);

		assertThat(small.confirmableLsn()).isEqualTo(2_000);
		assertThat(small.inFlight()).isZero();
	}

	@Test
	void awaitingCapacityTimesOutWhileTheWindowStaysFull() throws InterruptedException {
		LsnCheckpoint small = new LsnCheckpoint(1, START);
		small.beginTransaction();
		small.tryRegister("e0", 1_010);

		assertThat(small.awaitCapacity(10, TimeUnit.MILLISECONDS)).isFalse();
	}

	@Test
	void awaitingCapacityReturnsOnceAnAckFromAnotherThreadFreesRoom() throws Exception {
		LsnCheckpoint small = new LsnCheckpoint(1, START);
		small.beginTransaction();
		long e0 = small.tryRegister("e0", 1_010);

		CompletableFuture<Void> acker = CompletableFuture.runAsync(() -> small.ack(e0));

		assertThat(small.awaitCapacity(30, TimeUnit.SECONDS)).isTrue();
		acker.get(30, TimeUnit.SECONDS);
		assertThat(small.tryRegister("e1", 1_020)).isEqualTo(1);
	}

	@Test
	void permanentFailureFreezesTheWatermarkBeforeTheFailedEvent() throws InterruptedException {
		this.checkpoint.beginTransaction();
		long e0 = register("e0", 1_010);
		this.checkpoint.commitTransaction(1_100);
		this.checkpoint.beginTransaction();
		long e1 = register("e1", 1_110);
		long e2 = register("e2", 1_120);
		this.checkpoint.commitTransaction(1_200);
		this.checkpoint.beginTransaction();
		long e3 = register("e3", 1_210);
		this.checkpoint.commitTransaction(1_300);
		RuntimeException tooLarge = new RuntimeException("RecordTooLargeException");

		this.checkpoint.fail(e1, tooLarge);
		this.checkpoint.ack(e3);
		this.checkpoint.ack(e2);
		this.checkpoint.ack(e0);
		this.checkpoint.observeReceivedLsn(9_000);

		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(1_100);
		assertThat(this.checkpoint.failure()).isEqualTo(new FailedEvent(e1, "e1", 1_110, tooLarge));
		assertThat(this.checkpoint.failure().lsnText()).isEqualTo("0/456");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.checkpoint.ack(e1))
			.withMessageContaining("already failed");
		assertThat(this.checkpoint.confirmableLsn()).isEqualTo(1_100);
	}

	@Test
	void failureWakesAReaderWaitingForCapacity() throws Exception {
		LsnCheckpoint small = new LsnCheckpoint(1, START);
		small.beginTransaction();
		long e0 = small.tryRegister("e0", 1_010);

		CompletableFuture<Void> failer = CompletableFuture.runAsync(() -> small.fail(e0, new RuntimeException("rejected")));

		assertThat(small.awaitCapacity(30, TimeUnit.SECONDS)).isFalse();
		failer.get(30, TimeUnit.SECONDS);
		assertThat(small.failure()).isNotNull();
	}

	@Test
	void earliestFailedEventIsTheOneReported() {
		this.checkpoint.beginTransaction();
		long e0 = register("e0", 1_010);
		long e1 = register("e1", 1_020);

		this.checkpoint.fail(e1, new RuntimeException("second"));
		this.checkpoint.fail(e0, new RuntimeException("first"));

		assertThat(this.checkpoint.failure().eventId()).isEqualTo("e0");
	}

	@Test
	void secondAckOfATicketIsRejected() {
		this.checkpoint.beginTransaction();
		long e0 = register("e0", 1_010);
		long e1 = register("e1", 1_020);
		this.checkpoint.ack(e1);
		this.checkpoint.ack(e0);

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.checkpoint.ack(e1))
			.withMessageContaining("already acknowledged");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.checkpoint.ack(e0))
			.withMessageContaining("already acknowledged");
	}

	@Test
	void ticketThatWasNeverIssuedIsRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.checkpoint.ack(0))
			.withMessageContaining("never issued");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.checkpoint.ack(LsnCheckpoint.NO_CAPACITY));
	}

	@Test
	void streamOutOfStepIsRejected() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.checkpoint.tryRegister("e", 1))
			.withMessageContaining("outside a transaction");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.checkpoint.commitTransaction(2_000))
			.withMessageContaining("no open transaction");
		this.checkpoint.beginTransaction();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(this.checkpoint::beginTransaction)
			.withMessageContaining("while a transaction is open");
	}

	@Test
	void commitsMustArriveInCommitOrder() {
		this.checkpoint.beginTransaction();
		this.checkpoint.commitTransaction(2_000);
		this.checkpoint.beginTransaction();

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.checkpoint.commitTransaction(2_000))
			.withMessageContaining("Commit end LSN 0/7D0 does not follow the previous 0/7D0");
	}

	private long register(String eventId, long lsn) {
		long ticket = this.checkpoint.tryRegister(eventId, lsn);
		assertThat(ticket).isNotEqualTo(LsnCheckpoint.NO_CAPACITY);
		return ticket;
	}

}
