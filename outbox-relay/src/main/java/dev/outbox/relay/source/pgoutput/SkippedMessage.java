package dev.outbox.relay.source.pgoutput;

import java.util.Objects;

/**
 * A message the decoder read past on purpose, with the reason. Returned instead of throwing,
 * so that an unneeded or unknown message never stops the relay, yet is never mistaken for
 * something else.
 *
 * <p>Only {@link SkipReason#FILTERED} and {@link SkipReason#NOT_NEEDED} are expected on a
 * healthy stream; the source should log the other reasons.
 *
 * @param type the message type byte as a character
 * @param reason why the message was skipped
 */
public record SkippedMessage(char type, SkipReason reason) implements PgOutputMessage {

	public SkippedMessage {
		Objects.requireNonNull(reason, "reason");
	}

	@Override
	public String toString() {
		return "SkippedMessage[" + MessageTypes.describe(this.type) + ": " + this.reason.description() + "]";
	}

	/**
	 * Why a message was skipped.
	 */
	public enum SkipReason {

		/**
		 * An Insert, Update or Delete that the {@link ChangeFilter} rejected, such as a change
		 * to a table other than the outbox table. Its tuple was validated, not materialized.
		 */
		FILTERED("change rejected by the filter"),

		/**
		 * A message of protocol version 1 the relay has no use for: Origin ({@code 'O'}), Type
		 * ({@code 'Y'}) or a logical decoding Message ({@code 'M'}) under another prefix than
		 * the decoder's. Its layout was validated; a Message's content was not copied.
		 */
		NOT_NEEDED("message not needed by the relay"),

		/**
		 * A message that only newer protocol versions define (streaming of in-progress
		 * transactions, two-phase commit), which the relay does not request. Its content was
		 * not read: seeing one means the server speaks another protocol than requested.
		 */
		REQUIRES_NEWER_PROTOCOL("message of a protocol version newer than 1, which was not requested"),

		/** A type byte that no protocol version defines. Its content was not read. */
		UNKNOWN_TYPE("unknown message type");

		private final String description;

		SkipReason(String description) {
			this.description = description;
		}

		/**
		 * Returns a short human-readable explanation.
		 * @return the description
		 */
		public String description() {
			return this.description;
		}

	}

}
