package dev.outbox.failuresuite.variant;

import dev.outbox.failuresuite.lab.Checkpoint;
import dev.outbox.failuresuite.lab.Key;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.rig.RelayLaunch;

/**
 * Which relay a pipeline runs: the shipped one, or the lab variant that changes the one slot in
 * which the pipeline differs from ours ({@link ConfirmOnSendRelay} for checkpoint
 * {@code confirm-on-send}, {@link KeylessRelay} for key {@code none}).
 */
public final class VariantRelays {

	private VariantRelays() {
	}

	/**
	 * @param pipeline a pipeline with capture {@code log}
	 * @return how its relay starts
	 * @throws IllegalArgumentException for a pipeline that differs from ours in more than one
	 * relay slot: no variant combines them
	 */
	public static RelayLaunch launch(Pipeline pipeline) {
		boolean confirmOnSend = pipeline.checkpoint() == Checkpoint.CONFIRM_ON_SEND;
		boolean keyless = pipeline.key() == Key.NONE;
		if (confirmOnSend && keyless) {
			throw new IllegalArgumentException("pipeline " + pipeline + ": no lab relay has both checkpoint "
					+ "confirm-on-send and key none; change one of them back to ours (as-shipped, aggregate_id)");
		}
		if (confirmOnSend) {
			return RelayLaunch.variant(ConfirmOnSendRelay.MAIN_CLASS);
		}
		return keyless ? RelayLaunch.variant(KeylessRelay.MAIN_CLASS) : RelayLaunch.SHIPPED;
	}

}
