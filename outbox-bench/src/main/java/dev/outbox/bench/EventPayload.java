package dev.outbox.bench;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark's event payload: a JSON object of about {@value #SIZE} bytes carrying the event's
 * sequence number {@code s} (dense from 0 within a run, so the consumer can tell what is missing)
 * and the writer's clock {@code t} in epoch microseconds, taken just before the INSERT of its
 * transaction, then padding.
 * <p>
 * PostgreSQL stores it as {@code jsonb}, whose text form orders keys by length and puts a space
 * after every colon and comma; {@code s} and {@code t} stay first either way, and the parser
 * accepts both spellings.
 */
public final class EventPayload {

	/** Size of a payload as the relay publishes it (jsonb text), in bytes. */
	public static final int SIZE = 400;

	private static final String PAD;

	static {
		String words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ";
		StringBuilder pad = new StringBuilder();
		while (pad.length() < SIZE) {
			pad.append(words);
		}
		PAD = pad.toString();
	}

	private EventPayload() {
	}

	/**
	 * Builds a payload.
	 * @param seq the event's sequence number
	 * @param micros the writer's clock, epoch microseconds
	 * @return JSON text whose jsonb form is about {@link #SIZE} bytes
	 */
	public static String json(long seq, long micros) {
		String head = "{\"s\": " + seq + ", \"t\": " + micros + ", \"pad\": \"";
		int padLength = Math.max(0, SIZE - head.length() - 2);
		return head + PAD.substring(0, padLength) + "\"}";
	}

	/**
	 * Reads the sequence number from a record value.
	 * @param value the UTF-8 JSON bytes
	 * @return the sequence number, or -1 if there is none
	 */
	public static long seq(byte[] value) {
		return number(value, (byte) 's');
	}

	/**
	 * Reads the writer's clock from a record value.
	 * @param value the UTF-8 JSON bytes
	 * @return epoch microseconds, or -1 if there are none
	 */
	public static long micros(byte[] value) {
		return number(value, (byte) 't');
	}

	/** The non-negative integer of the one-letter key {@code "k":}, scanning from the start. */
	private static long number(byte[] value, byte key) {
		for (int i = 0; i + 3 < value.length; i++) {
			if (value[i] == '"' && value[i + 1] == key && value[i + 2] == '"' && value[i + 3] == ':') {
				int at = i + 4;
				while (at < value.length && value[at] == ' ') {
					at++;
				}
				long number = 0;
				int digits = 0;
				while (at < value.length && value[at] >= '0' && value[at] <= '9') {
					number = number * 10 + (value[at++] - '0');
					digits++;
				}
				return (digits > 0) ? number : -1;
			}
		}
		return -1;
	}

	/**
	 * Returns the payload's size in bytes.
	 * @param json a payload
	 * @return its UTF-8 length
	 */
	static int size(String json) {
		return json.getBytes(StandardCharsets.UTF_8).length;
	}

}
