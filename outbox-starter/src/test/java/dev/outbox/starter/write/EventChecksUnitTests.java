package dev.outbox.starter.write;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventChecks}: size and character checks applied at the call site.
 */
class EventChecksUnitTests {

	@ParameterizedTest
	@ValueSource(strings = { "", "ascii", "é", "€uro", "😀 emoji", "mixed é € 😀 text" })
	void utf8LengthIsTheLengthOfTheEncodedBytes(String text) {
		assertThat(EventChecks.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"a\":\"\\u0000\"}|true", "{\"a\":\"\\\\u0000\"}|false",
			"{\"a\":\"\\\\\\u0000\"}|true", "{\"a\":\"u0000\"}|false", "{}|false" })
	void nulEscapeIsFoundOnlyWhenNotItselfEscaped(String json, boolean expected) {
		assertThat(EventChecks.containsNulEscape(json)).isEqualTo(expected);
	}

}
