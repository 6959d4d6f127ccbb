package dev.outbox.relay.source.pgoutput;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parsing of {@code timestamptz} text as the server prints it with {@code DateStyle=ISO}.
 */
class TimestamptzParserUnitTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			2026-11-25 12:34:56.123456+00   | 2026-11-25T12:34:56.123456Z
			2026-11-25 12:34:56+00          | 2026-11-25T12:34:56Z
			2026-11-25 12:34:56.1+00        | 2026-11-25T12:34:56.100Z
			2026-11-25 12:34:56.12+00       | 2026-11-25T12:34:56.120Z
			2026-11-25 12:34:56.123+00      | 2026-11-25T12:34:56.123Z
			2026-11-25 12:34:56.1234+00     | 2026-11-25T12:34:56.123400Z
			2026-11-25 12:34:56.12345+00    | 2026-11-25T12:34:56.123450Z
			2026-11-25 18:04:56.5+05:30     | 2026-11-25T12:34:56.500Z
			2026-11-25 04:34:56-08          | 2026-11-25T12:34:56Z
			2026-11-25 08:49:56-03:45       | 2026-11-25T12:34:56Z
			1900-01-01 00:19:32+00:19:32    | 1900-01-01T00:00:00Z
			2026-11-25T12:34:56+00          | 2026-11-25T12:34:56Z
			2026-01-01 00:30:00+01          | 2025-12-31T23:30:00Z
			2024-02-29 23:59:59.999999+00   | 2024-02-29T23:59:59.999999Z
			12026-11-25 12:34:56+00         | +12026-11-25T12:34:56Z
			0044-03-15 12:00:00+00 BC       | -0043-03-15T12:00:00Z
			""")
	void parsesTheServersTextForms(String text, String expected) {
		assertThat(TimestamptzParser.parse(text)).isEqualTo(Instant.parse(expected));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "infinity", "-infinity", "", "2026-11-25", "2026-11-25 12:34:56",
			"2026-11-25 12:34:56.+00", "2026-11-25 12:34:56Z", "26-11-25 12:34:56+00", "2026-11-25 12:34+00",
			"2026-02-30 12:34:56+00", "2026-11-25 24:00:00+00", "2026-11-25 12:34:56+00 AD", "2026-11-25 12:34:56+0",
			"2026-11-25 12:34:56.1234567890+00" })
	void rejectsAnythingElseQuotingTheText(String text) {
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> TimestamptzParser.parse(text))
			.withMessageStartingWith("timestamptz '" + text + "' ")
			.satisfies((ex) -> assertThat(ex.getParsedString()).isEqualTo(text));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			infinity                  | is infinite
			2026-11-25 12:34:56       | needs a UTC offset such as +00 or +05:30 (at index 19)
			2026-02-30 12:34:56+00    | is not a valid date
			2026-11-25 12:34:56+00 AD | has unexpected text after the UTC offset (at index 22)
			""")
	void saysWhatIsWrong(String text, String problem) {
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> TimestamptzParser.parse(text))
			.withMessageContaining(problem);
	}

}
