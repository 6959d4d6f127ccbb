package dev.outbox.relay.source.pgoutput;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The values of one row in a change message ({@code TupleData}), in the column order of the
 * {@link RelationMessage} that was current when the change was decoded.
 *
 * <p>Each value is one of three {@link Kind kinds}: SQL {@code NULL}, an unchanged TOASTed
 * value whose content the server did not send (only in Update messages), or the value's text
 * representation (the type's output function, as {@code psql} shows it). The relay does not
 * request the {@code binary} option, so there is no binary kind.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class TupleData {

	private final Kind[] kinds;

	private final @Nullable String[] texts;

	TupleData(Kind[] kinds, @Nullable String[] texts) {
		this.kinds = kinds;
		this.texts = texts;
	}

	/**
	 * Creates tuple data from values, for tests and tools. A {@code null} element is SQL
	 * {@code NULL}.
	 * @param texts the text values in column order
	 * @return the tuple data
	 */
	public static TupleData ofTexts(@Nullable String... texts) {
		Kind[] kinds = new Kind[texts.length];
		for (int i = 0; i < texts.length; i++) {
			kinds[i] = (texts[i] != null) ? Kind.TEXT : Kind.NULL;
		}
		return new TupleData(kinds, texts.clone());
	}

	/**
	 * Returns the number of values.
	 * @return the number of columns in this tuple
	 */
	public int size() {
		return this.kinds.length;
	}

	/**
	 * Returns the kind of the value at a position.
	 * @param index the zero-based column index
	 * @return the kind
	 */
	public Kind kind(int index) {
		return this.kinds[index];
	}

	/**
	 * Returns the text of the value at a position.
	 * @param index the zero-based column index
	 * @return the text, or {@code null} for SQL {@code NULL}
	 * @throws IllegalStateException if the value is an unchanged TOAST value, whose content the
	 * server did not send
	 */
	public @Nullable String text(int index) {
		if (this.kinds[index] == Kind.UNCHANGED_TOAST) {
			throw new IllegalStateException("Column " + index + " is an unchanged TOAST value; the server did not send it");
		}
		return this.texts[index];
	}

	/**
	 * Returns the values by column name: SQL {@code NULL} maps to {@code null}, and unchanged
	 * TOAST columns are left out (absent key: not sent; present {@code null}: SQL NULL).
	 * @param relation the relation this tuple was decoded against
	 * @return an unmodifiable map in column order
	 * @throws IllegalArgumentException if the relation has a different number of columns
	 */
	public Map<String, @Nullable String> toMap(RelationMessage relation) {
		if (relation.columns().size() != this.kinds.length) {
			throw new IllegalArgumentException("Tuple has " + this.kinds.length + " values but relation "
					+ relation.qualifiedName() + " has " + relation.columns().size() + " columns");
		}
		Map<String, @Nullable String> map = new LinkedHashMap<>();
		for (int i = 0; i < this.kinds.length; i++) {
			if (this.kinds[i] != Kind.UNCHANGED_TOAST) {
				map.put(relation.columns().get(i).name(), this.texts[i]);
			}
		}
		return Collections.unmodifiableMap(map);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof TupleData that && Arrays.equals(this.kinds, that.kinds)
				&& Arrays.equals(this.texts, that.texts));
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.kinds) + Arrays.hashCode(this.texts);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("TupleData[");
		for (int i = 0; i < this.kinds.length; i++) {
			text.append((i > 0) ? ", " : "");
			switch (this.kinds[i]) {
				case NULL -> text.append("NULL");
				case UNCHANGED_TOAST -> text.append("<unchanged toast>");
				case TEXT -> text.append('\'').append(this.texts[i]).append('\'');
			}
		}
		return text.append(']').toString();
	}

	/**
	 * The kind of one value in a tuple.
	 */
	public enum Kind {

		/** {@code 'n'}: SQL {@code NULL}. */
		NULL,

		/** {@code 'u'}: an unchanged TOASTed value; the server did not send its content. */
		UNCHANGED_TOAST,

		/** {@code 't'}: the value in text format. */
		TEXT

	}

}
