package dev.outbox.relay.source;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.outbox.contract.TableName;

/**
 * What PostgreSQL's catalog says about an existing publication, and whether the relay may stream
 * through it.
 * <p>
 * Why it matters: when the server sends nothing, the relay confirms the WAL position the server
 * reports (there is nothing unacknowledged before it). An INSERT the publication does not send is
 * therefore confirmed past as if it had never been written: the event is lost. So the publication
 * must send every INSERT into the outbox table, whole:
 * <ul>
 * <li>it publishes INSERTs ({@code pg_publication.pubinsert});</li>
 * <li>it includes the table (named, by schema, or {@code FOR ALL TABLES});</li>
 * <li>it has no row filter on the table ({@code FOR TABLE t WHERE (...)}, PostgreSQL 15+), except,
 * for a shard of a sharded source, exactly the filter the relay defines for that shard
 * ({@link Shard}): a filter of another shard or count, or a foreign one, is refused, and so is a
 * shard's publication without its filter (it would send other shards' aggregates too, which two
 * streams could then deliver out of order);</li>
 * <li>its column list, if any, holds every column of the table contract
 * ({@link OutboxRowReader#COLUMNS}).</li>
 * </ul>
 * Anything else (other operations, other tables, extra columns,
 * {@code publish_via_partition_root}) costs decoding only: the relay filters what it receives.
 * <p>
 * Limits: PostgreSQL decodes each change with the publication as it was when the change was
 * written, so a fix does not bring back inserts written before it; and the relay checks before
 * each session, so a publication altered while a session streams is refused only at the next
 * reconnect.
 *
 * @param publication the publication's name
 * @param table the outbox table
 * @param publishes the operations it publishes ({@code insert}, {@code update}, {@code delete},
 * {@code truncate})
 * @param includesTable whether {@code pg_publication_tables} lists the table for it
 * @param rowFilter its row filter on the table, or {@code null} when it has none (or the server
 * predates row filters)
 * @param columns the columns of its column list on the table, or {@code null} when it has none
 * (or the server predates column lists)
 * @param shard the shard the publication is for, or {@code null} when the source is not sharded
 */
record PublicationCheck(String publication, TableName table, List<String> publishes, boolean includesTable,
		@Nullable String rowFilter, @Nullable List<String> columns, @Nullable Shard shard) {

	/**
	 * The statement the relay creates its publication with.
	 * @param publication the publication's name
	 * @param table the outbox table
	 * @param shard the shard it is for, whose row filter it gets, or {@code null}
	 * @return the CREATE PUBLICATION statement
	 */
	static String createStatement(String publication, TableName table, @Nullable Shard shard) {
		return "CREATE PUBLICATION " + ReplicationSetup.quote(publication) + " FOR TABLE " + table.qualified()
				+ ((shard != null) ? " WHERE " + shard.rowFilter() : "") + " WITH (publish = 'insert')";
	}

	/**
	 * @return what is wrong with the publication and how to fix it, or {@code null} when the relay
	 * may stream through it
	 */
	@Nullable String problem() {
		String name = "Publication " + this.publication + " (outbox.relay.publication-name)";
		String alter = "ALTER PUBLICATION " + ReplicationSetup.quote(this.publication);
		String relays = " (the relay creates its own as: " + createStatement(this.publication, this.table, this.shard)
				+ ")";
		String before = ". Events written before the fix stay unpublished (PostgreSQL decodes each change with the "
				+ "publication as it was then): reconcile them if a relay streamed through it";
		if (!this.publishes.contains("insert")) {
			return name + " does not publish INSERTs (publish = '" + String.join(", ", this.publishes)
					+ "'), so the relay would receive no event and confirm the WAL past them. Fix it: " + alter
					+ " SET (publish = 'insert')" + relays + before;
		}
		if (!this.includesTable) {
			return name + " does not include " + this.table + ". Add it: " + alter + " ADD TABLE " + this.table;
		}
		String filterProblem = rowFilterProblem(name, alter, relays + before);
		if (filterProblem != null) {
			return filterProblem;
		}
		List<String> missing = missingColumns();
		if (!missing.isEmpty()) {
			return name + " publishes only some columns of " + this.table + ", without " + missing
					+ ": the relay needs every column of the table contract (db/migration/V1__outbox_event.sql). "
					+ "Publish them all: " + alter + " SET TABLE " + this.table
					+ " (which also drops any other table from it)" + relays;
		}
		return null;
	}

	/**
	 * The one rule for row filters: none on an unsharded source's publication, exactly the shard's
	 * own on a shard's ({@link Shard#accepts}).
	 */
	private @Nullable String rowFilterProblem(String name, String alter, String relaysAndBefore) {
		if (this.shard == null) {
			return (this.rowFilter == null) ? null : name + " has a row filter on " + this.table + " (WHERE "
					+ this.rowFilter + "): rows it filters out never reach the relay, which would confirm the WAL "
					+ "past them. Remove it: " + alter + " SET TABLE " + this.table + " (which also drops any other "
					+ "table from it)" + relaysAndBefore + ". To shard the outbox over several slots, list it under "
					+ "outbox.relay.sources with shards=N: the relay then defines each shard's filter itself";
		}
		if (this.rowFilter != null && this.shard.accepts(this.rowFilter)) {
			return null;
		}
		int[] other = (this.rowFilter != null) ? Shard.parse(this.rowFilter) : null;
		if (other != null && other[1] != this.shard.count()) {
			return this.shard.changedCountMessage("publication " + this.publication + " filters for shard " + other[0]
					+ " of " + other[1] + " (WHERE " + this.rowFilter + ")");
		}
		String setTable = alter + " SET TABLE " + this.table + " WHERE " + this.shard.rowFilter();
		if (this.rowFilter == null) {
			return name + " is shard " + this.shard.index() + " of " + this.shard.count() + " (" + this.shard.setting()
					+ ") but has no row filter on " + this.table + ": it would send every aggregate, which other "
					+ "shards send too, and two streams of one aggregate can reach Kafka out of order. Give it the "
					+ "shard's filter: " + setTable;
		}
		return name + " is shard " + this.shard.index() + " of " + this.shard.count() + " (" + this.shard.setting()
				+ ") but has a row filter the relay does not define (WHERE " + this.rowFilter + "): the relay accepts "
				+ "only its own shard filter, since any other could send an aggregate to no shard, which loses its "
				+ "events, or to two, which can reorder them. Replace it: " + setTable + relaysAndBefore;
	}

	private List<String> missingColumns() {
		List<String> missing = new ArrayList<>();
		if (this.columns != null) {
			for (String column : OutboxRowReader.COLUMNS) {
				if (!this.columns.contains(column)) {
					missing.add(column);
				}
			}
		}
		return missing;
	}

}
