package dev.outbox.starter.contract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The one question every mode asks of a pair of schemas: can a consumer built on the reader
 * schema read every event written under the writer schema? Which of the pair is the new
 * version only changes the names of the rules reported ({@code readerIsNew}: the backward
 * direction; otherwise the forward one).
 * <p>
 * What "read" means, per keyword:
 * <ul>
 * <li>every type the writer may write must be one the reader accepts (an integer is a
 * number);</li>
 * <li>every property the reader requires, the writer must always write: declared and
 * required on the writer's side;</li>
 * <li>a property the writer writes and the reader does not declare is ignored under the open
 * content model; a closed reader ({@code additionalProperties: false}) rejects it, and a map
 * reader ({@code additionalProperties: {schema}}) checks it against the map's values;</li>
 * <li>every enum value the writer may write must be one of the reader's; a reader format must
 * be the writer's;</li>
 * <li>properties, array items and map values are compared recursively, through
 * {@code $ref}; a pair already under comparison (a recursive type) is not compared again.</li>
 * </ul>
 * The open content model is read as Jackson writes it: an object schema derived from a
 * producer's type lists every property that producer writes, so an open writer schema is
 * taken to write only its declared properties. (Confluent's registry assumes instead that
 * earlier events may hold any undeclared property, and so rejects adding a property to an
 * open schema in the backward direction; that is stricter than an outbox producer needs.)
 */
final class ReadCheck {

	private final SchemaDocument writer;

	private final SchemaDocument reader;

	private final boolean readerIsNew;

	private final int earlierVersion;

	private final List<CompatibilityViolation> violations = new ArrayList<>();

	private final Set<Pair> inProgress = new HashSet<>();

	private ReadCheck(SchemaDocument writer, SchemaDocument reader, boolean readerIsNew, int earlierVersion) {
		this.writer = writer;
		this.reader = reader;
		this.readerIsNew = readerIsNew;
		this.earlierVersion = earlierVersion;
	}

	/** Backward: the new schema reads events written under the earlier one. */
	static List<CompatibilityViolation> backward(SchemaDocument earlier, int earlierVersion, SchemaDocument newer) {
		return new ReadCheck(earlier, newer, true, earlierVersion).run();
	}

	/** Forward: the earlier schema reads events written under the new one. */
	static List<CompatibilityViolation> forward(SchemaDocument earlier, int earlierVersion, SchemaDocument newer) {
		return new ReadCheck(newer, earlier, false, earlierVersion).run();
	}

	private List<CompatibilityViolation> run() {
		compare(this.writer.root(), this.reader.root(), "");
		return this.violations;
	}

	private void compare(JsonNode writerNode, JsonNode readerNode, String path) {
		Pair pair = new Pair(this.writer.target(writerNode), this.reader.target(readerNode));
		if (!this.inProgress.add(pair)) {
			return;
		}
		SchemaShape written = this.writer.shape(writerNode);
		SchemaShape read = this.reader.shape(readerNode);
		compareTypes(written, read, path);
		compareEnums(written, read, path);
		compareFormats(written, read, path);
		if (written.types() != null && written.allows("object") && read.allows("object")) {
			compareObjects(written, read, path);
		}
		if (written.types() != null && written.allows("array") && read.allows("array")) {
			compare(written.items(), read.items(), path + "[]");
		}
		this.inProgress.remove(pair);
	}

	private void compareTypes(SchemaShape written, SchemaShape read, String path) {
		if (read.types() == null) {
			return;
		}
		if (written.types() == null) {
			report(path, this.readerIsNew ? CompatibilityRule.TYPE_NARROWED : CompatibilityRule.TYPE_WIDENED,
					writerName() + " allows any type but " + readerName() + " reads only " + read.types());
			return;
		}
		if (written.types().contains("null") && !read.types().contains("null")) {
			report(path, this.readerIsNew ? CompatibilityRule.MADE_NON_NULL : CompatibilityRule.MADE_NULLABLE,
					writerName() + " allows null but " + readerName() + " does not");
		}
		Set<String> unreadable = new LinkedHashSet<>();
		for (String type : written.types()) {
			if (!"null".equals(type) && !read.allows(type)) {
				unreadable.add(type);
			}
		}
		if (!unreadable.isEmpty()) {
			boolean wider = read.types().stream().filter((type) -> !"null".equals(type)).allMatch(written::allows);
			CompatibilityRule rule = !wider ? CompatibilityRule.TYPE_CHANGED
					: this.readerIsNew ? CompatibilityRule.TYPE_NARROWED : CompatibilityRule.TYPE_WIDENED;
			report(path, rule, writerName() + " writes " + unreadable + " but " + readerName() + " reads only "
					+ read.types());
		}
	}

	private void compareEnums(SchemaShape written, SchemaShape read, String path) {
		if (read.enumValues() == null) {
			return;
		}
		if (written.enumValues() == null) {
			report(path, this.readerIsNew ? CompatibilityRule.TYPE_NARROWED : CompatibilityRule.TYPE_WIDENED,
					writerName() + " allows any value but " + readerName() + " reads only the enum "
							+ read.enumValues());
			return;
		}
		Set<JsonNode> unknown = new LinkedHashSet<>(written.enumValues());
		unknown.removeAll(read.enumValues());
		if (!unknown.isEmpty()) {
			report(path, this.readerIsNew ? CompatibilityRule.ENUM_VALUE_REMOVED : CompatibilityRule.ENUM_VALUE_ADDED,
					"enum value(s) " + unknown + (this.readerIsNew ? " removed" : " added") + ": "
							+ (this.readerIsNew ? "earlier events may carry them and the new schema rejects them"
									: "new events may carry them and consumers on the earlier version reject them"));
		}
	}

	private void compareFormats(SchemaShape written, SchemaShape read, String path) {
		boolean stringsWritten = written.allows("string") && read.allows("string");
		if (stringsWritten && read.format() != null && !read.format().equals(written.format())) {
			report(path, CompatibilityRule.FORMAT_CHANGED, writerName() + " writes "
					+ ((written.format() != null) ? "format \"" + written.format() + "\"" : "no format") + " but "
					+ readerName() + " requires format \"" + read.format() + "\"");
		}
	}

	private void compareObjects(SchemaShape written, SchemaShape read, String path) {
		Renames renames = this.readerIsNew ? new Renames(written, read) : new Renames(read, written);
		Set<String> readNames = new LinkedHashSet<>(read.properties().keySet());
		readNames.addAll(read.required());
		for (String name : readNames) {
			String at = join(path, name);
			JsonNode writtenProperty = written.properties().get(name);
			JsonNode readProperty = read.properties().get(name);
			boolean writtenAlways = written.required().contains(name);
			if (writtenProperty != null && readProperty != null) {
				compare(writtenProperty, readProperty, at);
			}
			else if (writtenProperty == null && readProperty != null && written.mapValues() != null) {
				compare(written.mapValues(), readProperty, at);
			}
			if (read.required().contains(name) && !writtenAlways) {
				reportMissing(name, at, writtenProperty != null, renames);
			}
		}
		for (Map.Entry<String, JsonNode> property : written.properties().entrySet()) {
			if (!read.properties().containsKey(property.getKey())) {
				readUndeclared(property.getValue(), read, join(path, property.getKey()));
			}
		}
		if (written.mapValues() != null) {
			readUndeclared(written.mapValues(), read, path + "{}");
		}
	}

	private void reportMissing(String name, String at, boolean declared, Renames renames) {
		if (declared) {
			report(at, this.readerIsNew ? CompatibilityRule.PROPERTY_MADE_REQUIRED
					: CompatibilityRule.PROPERTY_MADE_OPTIONAL, this.readerIsNew
							? "now required, but earlier events may omit it"
							: "no longer required, so new events may omit it, but consumers on the earlier version "
									+ "require it");
			return;
		}
		String partner = renames.partnerOf(name);
		if (partner != null) {
			report(at, CompatibilityRule.PROPERTY_RENAMED, this.readerIsNew
					? "required but earlier events do not carry it; they carry '" + partner
							+ "' with the identical schema: renamed from '" + partner + "'?"
					: "required by consumers on the earlier version but no longer written; '" + partner
							+ "' with the identical schema is written instead: renamed to '" + partner + "'?");
			return;
		}
		report(at, this.readerIsNew ? CompatibilityRule.REQUIRED_PROPERTY_ADDED
				: CompatibilityRule.REQUIRED_PROPERTY_REMOVED, this.readerIsNew
						? "required by the new schema but earlier events do not carry it"
						: "required by consumers on the earlier version but no longer written");
	}

	private void readUndeclared(JsonNode writtenValue, SchemaShape read, String at) {
		if (read.mapValues() != null) {
			compare(writtenValue, read.mapValues(), at);
		}
		else if (read.isClosed()) {
			report(at, CompatibilityRule.CLOSED_CONTENT_MODEL, writerName() + " writes it but " + readerName()
					+ " does not declare it and closes the object (additionalProperties: false)");
		}
	}

	private String writerName() {
		return this.readerIsNew ? "version " + this.earlierVersion : "the new schema";
	}

	private String readerName() {
		return this.readerIsNew ? "the new schema" : "version " + this.earlierVersion;
	}

	private void report(String path, CompatibilityRule rule, String message) {
		this.violations.add(new CompatibilityViolation(path, this.earlierVersion, rule, message));
	}

	private static String join(String path, String name) {
		return path.isEmpty() ? name : path + "." + name;
	}

	private record Pair(JsonNode writer, JsonNode reader) {

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof Pair that && this.writer == that.writer && this.reader == that.reader;
		}

		@Override
		public int hashCode() {
			return 31 * System.identityHashCode(this.writer) + System.identityHashCode(this.reader);
		}

	}

}
