package dev.outbox.relay.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One shard of a sharded outbox: shard {@code index} of {@code count}, streamed through its own
 * slot and publication, which publishes only the aggregates whose hash falls in it. This class is
 * the one place that knows the shard rule: the row filter the relay defines, the filter it accepts
 * on an existing publication, and how shard slots and publications are named.
 * <p>
 * <b>The filter.</b> {@code ((hashtext(aggregate_id) & 2147483647) % count = index)}. Every event of
 * an aggregate therefore goes through one slot, so its commit order holds within that slot's
 * stream, while {@code count} walsenders decode in parallel. The mask, not {@code abs}: PostgreSQL's
 * {@code hashtext} returns any {@code int4}, -2147483648 included, whose {@code abs} overflows: the
 * INSERT commits, but evaluating the filter while decoding fails at every attempt, so the slot
 * never passes that event. The mask clears the sign bit, so the expression is total and its value lies in
 * {@code [0, count)}. The {@code count} filters thus partition every key: no aggregate is in two
 * shards (that could reorder it) or in none (that would lose it, since a slot confirms past what its
 * publication does not send).
 * <p>
 * <b>The comparison.</b> PostgreSQL stores a filter as a parsed expression and shows it deparsed
 * ({@code pg_publication_tables.rowfilter}), fully parenthesised and with the implicit cast of a
 * {@code varchar} column written out. {@link #accepts} compares that text with the deparsed form of
 * this shard's filter, the cast of {@code aggregate_id} aside; nothing else passes.
 * <p>
 * <b>The count is fixed while slots exist.</b> Changing it moves aggregates between shards. An
 * aggregate whose earlier events still wait in its old shard's slot while its later ones stream
 * from its new shard would reach Kafka out of order, so the relay refuses a changed count while the
 * old publications or slots exist ({@link #changedCountMessage}), and going back to one shard while
 * shard publications remain on the table ({@link #unshardedMessage}).
 *
 * @param index the shard's index, from 0
 * @param count how many shards the source has, at least 2
 * @param slotBase the source's slot name, which shard slots are named after
 * @param publicationBase the source's publication name, which shard publications are named after
 * @param setting the setting that holds the count, for messages ({@code outbox.relay.sources[n].shards})
 */
public record Shard(int index, int count, String slotBase, String publicationBase, String setting) {

	private static final Pattern DEPARSED = Pattern
		.compile("\\(\\(\\(hashtext\\(aggregate_id\\) & 2147483647\\) % (\\d+)\\) = (\\d+)\\)");

	/**
	 * @throws IllegalArgumentException when the index is not in {@code [0, count)} or the count is below 2
	 */
	public Shard {
		if (count < 2 || index < 0 || index >= count) {
			throw new IllegalArgumentException("Shard " + index + " of " + count + " is not a shard");
		}
	}

	/**
	 * The name of one shard's slot or publication: the source's name, an underscore, the index.
	 * @param base the source's slot or publication name
	 * @param index the shard's index
	 * @return the shard's name
	 */
	public static String name(String base, int index) {
		return base + "_" + index;
	}

	/** @return this shard's slot */
	public String slotName() {
		return name(this.slotBase, this.index);
	}

	/** @return this shard's publication */
	public String publicationName() {
		return name(this.publicationBase, this.index);
	}

	/**
	 * @return the row filter the relay creates this shard's publication with, in parentheses as
	 * {@code CREATE PUBLICATION ... WHERE} needs it
	 */
	public String rowFilter() {
		return rowFilter("hashtext(aggregate_id)");
	}

	/**
	 * This shard's filter over another hash term, so that tests can evaluate the arithmetic for a
	 * given hash value (-2147483648 above all).
	 * @param hash an SQL {@code int4} expression
	 * @return the filter with {@code hash} in place of {@code hashtext(aggregate_id)}
	 */
	String rowFilter(String hash) {
		return "((" + hash + " & 2147483647) % " + this.count + " = " + this.index + ")";
	}

	/**
	 * @param deparsed a publication's row filter as {@code pg_publication_tables.rowfilter} shows it
	 * @return whether it is exactly this shard's filter
	 */
	public boolean accepts(String deparsed) {
		int[] shard = parse(deparsed);
		return shard != null && shard[0] == this.index && shard[1] == this.count;
	}

	/**
	 * @param deparsed a publication's row filter as {@code pg_publication_tables.rowfilter} shows it
	 * @return {@code {index, count}} when it is a shard filter the relay defines, else {@code null}
	 */
	static int @Nullable [] parse(String deparsed) {
		String normalized = deparsed.strip().replace("(aggregate_id)::text", "aggregate_id")
			.replace("(aggregate_id)::character varying", "aggregate_id");
		Matcher matcher = DEPARSED.matcher(normalized);
		if (!matcher.matches()) {
			return null;
		}
		try {
			return new int[] { Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(1)) };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * The operator-facing message for shard slots or publications left by a run with another
	 * count.
	 * @param found what was found, e.g. {@code "publication orders_pub_0 filters for 4 shards"}
	 * @return what is wrong and what the operator does
	 */
	String changedCountMessage(String found) {
		return "The source's outbox is sharded in " + this.count + " (" + this.setting + "=" + this.count + "), but "
				+ found + ": a previous run used another count. "
				+ refusal(this.slotBase, this.publicationBase, " (and " + this.slotBase
						+ " if the outbox was not sharded before)", "set " + this.setting + " back to the old count");
	}

	/**
	 * The operator-facing message for an unsharded source whose table still has shard publications
	 * of its publication name, left by a run that sharded it: going back to one shard changes the
	 * count as {@link #changedCountMessage} does.
	 * @param found what was found, e.g. {@code "publications orders_pub_0 (shard 0 of 2), orders_pub_1
	 * (shard 1 of 2) and slots orders_0, orders_1 exist"}
	 * @param oldCount the count the found shard filters are for
	 * @param slotBase the source's slot name
	 * @param publicationBase the source's publication name
	 * @param setting the setting that would hold the source's count ({@code outbox.relay.sources[n].shards}),
	 * or {@code null} for the single source of the flat settings, which cannot be sharded
	 * @return what is wrong and what the operator does
	 */
	static String unshardedMessage(String found, int oldCount, String slotBase, String publicationBase,
			@Nullable String setting) {
		return "The source streams its outbox unsharded ("
				+ ((setting != null) ? setting + "=1" : "the flat outbox.relay.* settings, which cannot shard it")
				+ "), but " + found + ": a previous run sharded it. "
				+ refusal(slotBase, publicationBase, "",
						(setting != null) ? "set " + setting + " back to " + oldCount
								: "list the source under outbox.relay.sources with shards=" + oldCount);
	}

	/** Why a changed count is refused and how to change it, or go back: the part both messages share. */
	private static String refusal(String slotBase, String publicationBase, String alsoDrop, String goBack) {
		return "Changing the count moves aggregates between shards, and an aggregate whose earlier events still wait "
				+ "in its old shard's slot would reach Kafka out of order, so the relay refuses it. To change the "
				+ "count: stop the services that write the outbox, let the relays drain every old slot "
				+ "(pg_replication_slots.confirmed_flush_lsn reaches pg_current_wal_lsn()), stop them, drop the old "
				+ "slots (pg_drop_replication_slot) and publications (DROP PUBLICATION) named " + slotBase + "_<i> and "
				+ publicationBase + "_<i>" + alsoDrop + ", start the relays with the new count once with "
				+ "outbox.relay.allow-slot-recreation=true (the slot history remembers the dropped slots), and only "
				+ "then the writers; or " + goBack;
	}

}
