package dev.outbox.starter.write;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The events of one transaction that are not yet written, and the synchronization that
 * writes them.
 * <p>
 * Events are written when {@code batchSize} of them are pending, on
 * {@code TransactionStatus.flush()}, and in {@code beforeCommit}, so the INSERT and DELETE
 * are part of the transaction and a commit that follows contains every event published
 * before it. Once {@code beforeCommit} has run, later events (published by other
 * {@code beforeCommit} callbacks) are written immediately; once {@code beforeCompletion}
 * has run, publishing is refused: the transaction is ending and a write could no longer be
 * part of it.
 * <p>
 * Savepoints (nested transactions): a rollback to a savepoint undoes the rows written after
 * it, which may include events published before it but written later, as part of a batch.
 * So at each savepoint the pending list is remembered, and a rollback to it makes that list
 * pending again; everything published after the savepoint is dropped, as the database drops
 * its rows. The remembered list is never modified afterwards (writing replaces the pending
 * list with a new one), so remembering it is a reference and a size. A savepoint taken
 * before this object existed precedes all its events: rolling back to it drops them all.
 * <p>
 * <b>Commit listeners.</b> When the writer has {@link OutboxCommitListener}s, the events written
 * are also kept (and cut back on a rollback to a savepoint, as the database cuts its rows) and
 * handed to them in {@code afterCommit}. Without listeners nothing is kept, so a transaction
 * with any number of events still holds at most one batch in memory.
 * <p>
 * Bound to the transaction as a resource under the writer's key, unbound on suspend and
 * rebound on resume, so a {@code REQUIRES_NEW} transaction gets its own. Used by one thread.
 */
final class OutboxTransaction implements TransactionSynchronization {

	private final OutboxEventWriter writer;

	private final int batchSize;

	private List<OutboxRecord> pending = new ArrayList<>();

	private final @Nullable List<OutboxRecord> written;

	private final Map<Object, Mark> savepoints = new IdentityHashMap<>();

	private CompletionPhase phase;

	OutboxTransaction(OutboxEventWriter writer, int batchSize, CompletionPhase phase) {
		this.writer = writer;
		this.batchSize = batchSize;
		this.phase = phase;
		this.written = writer.hasCommitListeners() ? new ArrayList<>() : null;
	}

	void add(OutboxRecord event) {
		if (this.phase == CompletionPhase.COMPLETING) {
			throw completing();
		}
		this.pending.add(event);
		if (this.phase == CompletionPhase.COMMITTING || this.pending.size() >= this.batchSize) {
			write();
		}
	}

	static IllegalTransactionStateException completing() {
		return new IllegalTransactionStateException("The transaction is already completing (this is a "
				+ "beforeCompletion, afterCommit or afterCompletion callback, such as a @TransactionalEventListener "
				+ "with phase AFTER_COMMIT), so an outbox event can no longer be part of it; publish inside the "
				+ "transaction or from phase = BEFORE_COMMIT");
	}

	private void write() {
		if (this.pending.isEmpty()) {
			return;
		}
		List<OutboxRecord> batch = this.pending;
		this.pending = new ArrayList<>();
		this.writer.writeBatch(batch);
		if (this.written != null) {
			this.written.addAll(batch);
		}
	}

	@Override
	public int getOrder() {
		// Run after other beforeCommit callbacks: fewer events arrive after the flush.
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void suspend() {
		TransactionSynchronizationManager.unbindResourceIfPossible(this.writer);
	}

	@Override
	public void resume() {
		TransactionSynchronizationManager.bindResource(this.writer, this);
	}

	@Override
	public void flush() {
		if (this.phase == CompletionPhase.OPEN) {
			write();
		}
	}

	@Override
	public void savepoint(Object savepoint) {
		this.savepoints.put(savepoint,
				new Mark(this.pending, this.pending.size(), (this.written != null) ? this.written.size() : 0));
	}

	@Override
	public void savepointRollback(Object savepoint) {
		Mark mark = this.savepoints.remove(savepoint);
		this.pending = (mark != null) ? new ArrayList<>(mark.pending().subList(0, mark.size())) : new ArrayList<>();
		if (this.written != null) {
			this.written.subList((mark != null) ? mark.written() : 0, this.written.size()).clear();
		}
	}

	@Override
	public void beforeCommit(boolean readOnly) {
		write();
		this.phase = CompletionPhase.COMMITTING;
	}

	@Override
	public void beforeCompletion() {
		this.phase = CompletionPhase.COMPLETING;
	}

	@Override
	public void afterCommit() {
		if (this.written != null && !this.written.isEmpty()) {
			this.writer.committed(List.copyOf(this.written));
		}
	}

	@Override
	public void afterCompletion(int status) {
		this.phase = CompletionPhase.COMPLETING;
		this.pending = new ArrayList<>();
		this.savepoints.clear();
		TransactionSynchronizationManager.unbindResourceIfPossible(this.writer);
	}

	private record Mark(List<OutboxRecord> pending, int size, int written) {
	}

}
