package dev.outbox.failuresuite.lab;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A value of a lab setting, written on the command line as its {@link #option()}: the constant's
 * name in lower case with dashes ({@code DUAL_WRITE} is {@code dual-write}) unless it says
 * otherwise.
 */
public interface Choice {

	/** @return the constant's name, as every enum has */
	String name();

	/** @return how the value is written on the command line */
	default String option() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Reads a value of a setting.
	 * @param <E> the setting's values
	 * @param setting what is being set, for the error
	 * @param value as written
	 * @param type the setting's values
	 * @return the value
	 * @throws IllegalArgumentException naming the setting and its values when none is written so
	 */
	static <E extends Enum<E> & Choice> E parse(String setting, String value, Class<E> type) {
		return Arrays.stream(type.getEnumConstants())
			.filter((choice) -> choice.option().equals(value.trim()))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					setting + ": unknown value '" + value + "'; choose one of " + options(type)));
	}

	/**
	 * @param type the setting's values
	 * @return every value as written, separated by commas
	 */
	static String options(Class<? extends Choice> type) {
		return Arrays.stream(type.getEnumConstants()).map(Choice::option).collect(Collectors.joining(", "));
	}

}
