package dev.outbox.starter.write;

import java.util.Map;

import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * Where the current thread is in the life of its transaction, as far as it matters to a
 * synchronization that registers itself now.
 * <p>
 * Spring calls {@code beforeCommit} on a snapshot of the registered synchronizations. One
 * registered from inside that loop (say, by a {@code @TransactionalEventListener(phase =
 * BEFORE_COMMIT)} that publishes the first outbox event of the transaction) is never asked
 * to flush, and its events would be silently dropped. Spring offers no API for the phase, so
 * the phase is read from the call stack: a frame of
 * {@link TransactionSynchronizationUtils}{@code .triggerBeforeCommit} means the commit is
 * under way and writes must go to the database at once; a frame of a later callback means
 * it is too late to write at all. The stack is walked only when a new synchronization is
 * registered while others exist, that is at most once per transaction, and only when some
 * callback could be running at all.
 */
enum CompletionPhase {

	/** No completion callback is running: buffer and write before commit. */
	OPEN,

	/** Inside {@code beforeCommit} callbacks: write each event immediately. */
	COMMITTING,

	/** Inside {@code beforeCompletion}, {@code afterCommit} or {@code afterCompletion}: too late. */
	COMPLETING;

	private static final String UTILS = TransactionSynchronizationUtils.class.getName();

	private static final Map<String, CompletionPhase> METHODS = Map.of("triggerBeforeCommit", COMMITTING,
			"triggerBeforeCompletion", COMPLETING, "triggerAfterCommit", COMPLETING, "invokeAfterCommit", COMPLETING,
			"triggerAfterCompletion", COMPLETING, "invokeAfterCompletion", COMPLETING);

	/**
	 * Read the phase of the current thread from its call stack.
	 * @return the innermost phase found, {@link #OPEN} if none
	 */
	static CompletionPhase ofCurrentThread() {
		return StackWalker.getInstance()
			.walk((frames) -> frames.filter((frame) -> UTILS.equals(frame.getClassName()))
				.map((frame) -> METHODS.get(frame.getMethodName()))
				.filter((phase) -> phase != null)
				.findFirst())
			.orElse(OPEN);
	}

}
