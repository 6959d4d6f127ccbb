package dev.outbox.relay.source.pgoutput;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Parses the text form of a {@code timestamptz} value, as {@code pgoutput} sends it, into an
 * {@link Instant}.
 *
 * <p>The server writes the text with the replication session's {@code DateStyle} (pgjdbc
 * always sets {@code ISO}) and {@code TimeZone} (pgjdbc sends the JVM's zone), so the offset
 * varies. Accepted: {@code YYYY-MM-DD HH:MM:SS[.F]±HH[:MM[:SS]][ BC]}, where the year has four
 * or more digits, {@code F} has one to nine digits (PostgreSQL writes up to six and drops
 * trailing zeros), and a {@code T} may stand for the space. Examples:
 * {@code 2026-11-25 12:34:56.123456+00}, {@code 2026-11-25 18:04:56+05:30},
 * {@code 1900-01-01 00:00:00+00:19:32}. The infinities are rejected: an event has a real
 * time.
 *
 * <p>Stateless and thread-safe.
 */
public final class TimestamptzParser {

	/** Multiplier that turns a fraction of n digits into nanoseconds, by n. */
	private static final int[] NANO_SCALE = { 0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1 };

	private TimestamptzParser() {
	}

	/**
	 * Parses a {@code timestamptz} text.
	 * @param text the text, for example {@code 2026-11-25 12:34:56.123456+00}
	 * @return the instant it denotes
	 * @throws DateTimeParseException if the text is not in the accepted form or is not a valid
	 * date and time; the message quotes the text and says what is wrong
	 */
	public static Instant parse(CharSequence text) {
		return new Cursor(text).timestamp();
	}

	/** One parse: a position in the text. */
	private static final class Cursor {

		private final CharSequence text;

		private int position;

		Cursor(CharSequence text) {
			this.text = text;
		}

		Instant timestamp() {
			String whole = this.text.toString();
			if (whole.equals("infinity") || whole.equals("-infinity")) {
				throw fail("is infinite, which no event time can be", 0);
			}
			int year = digits(4, 9, "year");
			expect('-');
			int month = digits(2, 2, "month");
			expect('-');
			int day = digits(2, 2, "day");
			if (!accept(' ') && !accept('T')) {
				throw fail("needs ' ' or 'T' between date and time", this.position);
			}
			int hour = digits(2, 2, "hour");
			expect(':');
			int minute = digits(2, 2, "minute");
			expect(':');
			int second = digits(2, 2, "second");
			int nanos = 0;
			if (accept('.')) {
				int start = this.position;
				int fraction = digits(1, 9, "fractional second");
				nanos = fraction * NANO_SCALE[this.position - start];
			}
			int offsetStart = this.position;
			int sign;
			if (accept('+')) {
				sign = 1;
			}
			else if (accept('-')) {
				sign = -1;
			}
			else {
				throw fail("needs a UTC offset such as +00 or +05:30", this.position);
			}
			int offsetSeconds = digits(2, 2, "offset hours") * 3600;
			if (accept(':')) {
				offsetSeconds += digits(2, 2, "offset minutes") * 60;
				if (accept(':')) {
					offsetSeconds += digits(2, 2, "offset seconds");
				}
			}
			if (remainingEquals(" BC")) {
				year = 1 - year; // 1 BC is proleptic year 0
				this.position += 3;
			}
			if (this.position != this.text.length()) {
				throw fail("has unexpected text after the UTC offset", this.position);
			}
			if (hour > 23 || minute > 59 || second > 59) {
				throw fail("has an invalid time of day", 0);
			}
			if (offsetSeconds > 18 * 3600) {
				throw fail("has a UTC offset beyond 18 hours", offsetStart);
			}
			long epochDay;
			try {
				epochDay = LocalDate.of(year, month, day).toEpochDay();
			}
			catch (DateTimeException ex) {
				throw fail("is not a valid date (" + ex.getMessage() + ")", 0);
			}
			long epochSecond = epochDay * 86_400L + hour * 3600L + minute * 60L + second - (long) sign * offsetSeconds;
			return Instant.ofEpochSecond(epochSecond, nanos);
		}

		private int digits(int min, int max, String field) {
			int start = this.position;
			int value = 0;
			while (this.position < this.text.length() && this.position - start < max) {
				char c = this.text.charAt(this.position);
				if (c < '0' || c > '9') {
					break;
				}
				value = value * 10 + (c - '0');
				this.position++;
			}
			int count = this.position - start;
			if (count < min) {
				throw fail("needs " + ((min == max) ? min : "at least " + min) + " digits for the " + field, start);
			}
			return value;
		}

		private void expect(char expected) {
			if (!accept(expected)) {
				throw fail("needs '" + expected + "'", this.position);
			}
		}

		private boolean accept(char c) {
			if (this.position < this.text.length() && this.text.charAt(this.position) == c) {
				this.position++;
				return true;
			}
			return false;
		}

		private boolean remainingEquals(String suffix) {
			int length = this.text.length() - this.position;
			return length == suffix.length() && this.text.subSequence(this.position, this.text.length()).toString().equals(suffix);
		}

		private DateTimeParseException fail(String problem, int index) {
			return new DateTimeParseException("timestamptz '" + this.text + "' " + problem + " (at index " + index + ")",
					this.text, index);
		}

	}

}
