package dev.outbox.relay.source.pgoutput;

/**
 * Names of {@code pgoutput} message types, for error messages and logs.
 */
final class MessageTypes {

	private MessageTypes() {
	}

	/**
	 * Describes a type byte, for example {@code Insert ('I')} or {@code unknown (0x07)}.
	 * @param type the type byte
	 * @return the description
	 */
	static String describe(int type) {
		String name = name(type);
		boolean printable = type >= 0x21 && type <= 0x7e;
		String code = printable ? "'" + (char) type + "'" : String.format("0x%02x", type & 0xff);
		return name + " (" + code + ")";
	}

	private static String name(int type) {
		return switch (type) {
			case 'B' -> "Begin";
			case 'C' -> "Commit";
			case 'O' -> "Origin";
			case 'R' -> "Relation";
			case 'Y' -> "Type";
			case 'I' -> "Insert";
			case 'U' -> "Update";
			case 'D' -> "Delete";
			case 'T' -> "Truncate";
			case 'M' -> "Message";
			case 'S' -> "Stream Start";
			case 'E' -> "Stream Stop";
			case 'c' -> "Stream Commit";
			case 'A' -> "Stream Abort";
			case 'b' -> "Begin Prepare";
			case 'P' -> "Prepare";
			case 'K' -> "Commit Prepared";
			case 'r' -> "Rollback Prepared";
			case 'p' -> "Stream Prepare";
			default -> "unknown";
		};
	}

}
