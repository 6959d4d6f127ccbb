package dev.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the relay, under {@code outbox.relay}. The PostgreSQL connection comes from
 * {@code spring.datasource.*} and Kafka from {@code spring.kafka.*}; or, with
 * {@code outbox.relay.sources[n].*}, each source names its own database, and inherits from these
 * flat settings every one it does not set ({@link #forSource}).
 */
@ConfigurationProperties("outbox.relay")
public class RelayProperties {

	/**
	 * Sources the relay streams, each an independent pipeline with its own database, slot and
	 * publication. When empty, the flat outbox.relay.* settings and spring.datasource.* are the
	 * one source.
	 */
	private final List<Source> sources = new ArrayList<>();

	/**
	 * Outbox table to publish, as schema.table (or table, in schema public). Unquoted lower-case
	 * identifiers only.
	 */
	private String table = "public.outbox_event";

	/**
	 * Logical replication slot the relay reads and confirms. One slot per relay group; a second
	 * relay on the same slot waits in standby.
	 */
	private String slotName = "outbox_relay";

	/**
	 * Publication on the outbox table that the slot's pgoutput plugin filters by.
	 */
	private String publicationName = "outbox_pub";

	/**
	 * Kafka topic of each event; placeholders {aggregateType} and {eventType}.
	 */
	private String topicTemplate = "outbox.event.{aggregateType}";

	/**
	 * Whether to create the replication slot when it is missing.
	 */
	private boolean createSlot = true;

	/**
	 * Whether to create the publication when it is missing (needs ownership of the table).
	 */
	private boolean createPublication = true;

	/**
	 * What to do with rows already in the table when the relay creates its slot: 'never' publishes
	 * only what is committed after the slot exists; 'initial' first publishes the rows visible in
	 * the snapshot exported at slot creation.
	 */
	private SnapshotMode snapshotMode = SnapshotMode.NEVER;

	/**
	 * Most events sent to Kafka and not yet acknowledged. Bounds memory whatever the backlog or
	 * transaction size.
	 */
	private int maxInFlight = 20_000;

	/**
	 * How often the relay sends its confirmed position to PostgreSQL. Keep it well below the
	 * server's wal_sender_timeout.
	 */
	private Duration statusInterval = Duration.ofSeconds(1);

	/**
	 * How long the replication connection may receive nothing from PostgreSQL before the relay
	 * takes it as lost and reconnects (as the server's wal_receiver_timeout does for a standby).
	 * The server answers every status update, so a healthy link is never silent this long; a
	 * link that stays open but carries nothing (a network partition, a hung server) otherwise
	 * goes unnoticed until the operating system gives up on it. At least twice status-interval;
	 * zero turns the check off.
	 */
	private Duration replicationTimeout = Duration.ofSeconds(30);

	/**
	 * Shortest time between two producer flushes once the relay has caught up with live writes.
	 * An event committed after a quiet spell is sent at once; under a steady load, events
	 * committed within one interval share one produce request (fewer requests for the broker
	 * and every consumer, at most this much added latency). Zero flushes after every
	 * transaction. A backlog is batched by linger.ms instead.
	 */
	private Duration liveFlushInterval = Duration.ofMillis(1);

	/**
	 * How long Kafka may fail to acknowledge before health turns DOWN.
	 */
	private Duration kafkaUnavailableGrace = Duration.ofSeconds(30);

	/**
	 * How long the relay waits at start for Kafka to answer before it fails.
	 */
	private Duration kafkaStartupTimeout = Duration.ofSeconds(30);

	/**
	 * Delay before reconnecting after PostgreSQL or Kafka failed; doubles up to
	 * reconnect-max-backoff.
	 */
	private Duration reconnectBackoff = Duration.ofMillis(500);

	/**
	 * Longest delay between reconnection attempts.
	 */
	private Duration reconnectMaxBackoff = Duration.ofSeconds(15);

	/**
	 * How often a standby relay tries to take over the slot.
	 */
	private Duration standbyRetryInterval = Duration.ofSeconds(2);

	/**
	 * How often a relay with several sources in one database compares the slots it streams with
	 * its fair share among the relays given the same list, and releases one when above it; 0
	 * turns balancing off (the first relay to start keeps every slot it takes).
	 */
	private Duration balanceInterval = Duration.ofSeconds(10);

	/**
	 * Retained WAL (current WAL position minus the slot's restart_lsn) from which health reports
	 * WARNING (inclusive); an unreserved slot is WARNING below it too.
	 */
	private DataSize retainedWalWarning = DataSize.ofGigabytes(1);

	/**
	 * Retained WAL from which health is DOWN (inclusive).
	 */
	private DataSize retainedWalCritical = DataSize.ofGigabytes(3);

	/**
	 * Topic that receives records Kafka rejects for good (for example, too large), with the error
	 * in headers. When unset, such a record stops the relay and turns health DOWN.
	 */
	private @Nullable String deadLetterTopic;

	/**
	 * Compacted topic where the relay records, per database and slot, that the slot has streamed
	 * (or that a standby saw it) and its last confirmed position. A slot missing from PostgreSQL
	 * but recorded here was dropped after a relay used it, and is not created anew. Created
	 * (one partition, cleanup.policy=compact) when missing.
	 */
	private String slotHistoryTopic = "outbox.relay.slot-history";

	/**
	 * Whether to create the slot anew although the slot history says a predecessor streamed it:
	 * events committed while no slot existed are not published. Set it for one start, after
	 * reconciling, and back to false once the relay streams.
	 */
	private boolean allowSlotRecreation = false;

	/**
	 * Whether the slot follows a failover, on PostgreSQL 17 and later: the relay creates its slot
	 * with failover = true, and sets it on a slot found without it. False leaves slots as before
	 * 17, for failover tools that copy slots to standbys themselves.
	 */
	private boolean failoverSlot = true;

	/**
	 * Topic creation.
	 */
	private final Topics topics;

	/**
	 * Shape of each record: 'plain' (the headers id, eventType, aggregateType, content-type and
	 * schemaVersion) or 'cloudevents' (the same, plus the CloudEvents attributes ce_specversion,
	 * ce_id, ce_type, ce_source, ce_subject, ce_time and ce_dataschema of the Kafka protocol
	 * binding's binary content mode; needs outbox.relay.cloudevents.source).
	 */
	private RecordFormat recordFormat = RecordFormat.PLAIN;

	/**
	 * CloudEvents attributes.
	 */
	private final CloudEvents cloudevents;

	public RelayProperties() {
		this(new Topics(), new CloudEvents());
	}

	private RelayProperties(Topics topics, CloudEvents cloudevents) {
		this.topics = topics;
		this.cloudevents = cloudevents;
	}

	/**
	 * The settings one source runs with: these flat settings, overridden by what the source sets.
	 * Topic creation and CloudEvents settings are shared.
	 * @param source one entry of {@code outbox.relay.sources}
	 * @return a new settings object, without sources
	 */
	public RelayProperties forSource(Source source) {
		RelayProperties effective = new RelayProperties(this.topics, this.cloudevents);
		BeanUtils.copyProperties(this, effective);
		override(source.getTable(), effective::setTable);
		override(source.getSlotName(), effective::setSlotName);
		override(source.getPublicationName(), effective::setPublicationName);
		override(source.getTopicTemplate(), effective::setTopicTemplate);
		override(source.getCreateSlot(), effective::setCreateSlot);
		override(source.getCreatePublication(), effective::setCreatePublication);
		override(source.getSnapshotMode(), effective::setSnapshotMode);
		override(source.getAllowSlotRecreation(), effective::setAllowSlotRecreation);
		override(source.getFailoverSlot(), effective::setFailoverSlot);
		return effective;
	}

	private static <T> void override(@Nullable T value, Consumer<T> setter) {
		if (value != null) {
			setter.accept(value);
		}
	}

	public List<Source> getSources() {
		return this.sources;
	}

	public String getTable() {
		return this.table;
	}

	public void setTable(String table) {
		this.table = table;
	}

	public String getSlotName() {
		return this.slotName;
	}

	public void setSlotName(String slotName) {
		this.slotName = slotName;
	}

	public String getPublicationName() {
		return this.publicationName;
	}

	public void setPublicationName(String publicationName) {
		this.publicationName = publicationName;
	}

	public String getTopicTemplate() {
		return this.topicTemplate;
	}

	public void setTopicTemplate(String topicTemplate) {
		this.topicTemplate = topicTemplate;
	}

	public boolean isCreateSlot() {
		return this.createSlot;
	}

	public void setCreateSlot(boolean createSlot) {
		this.createSlot = createSlot;
	}

	public boolean isCreatePublication() {
		return this.createPublication;
	}

	public void setCreatePublication(boolean createPublication) {
		this.createPublication = createPublication;
	}

	public SnapshotMode getSnapshotMode() {
		return this.snapshotMode;
	}

	public void setSnapshotMode(SnapshotMode snapshotMode) {
		this.snapshotMode = snapshotMode;
	}

	public int getMaxInFlight() {
		return this.maxInFlight;
	}

	public void setMaxInFlight(int maxInFlight) {
		this.maxInFlight = maxInFlight;
	}

	public Duration getReplicationTimeout() {
		return this.replicationTimeout;
	}

	public void setReplicationTimeout(Duration replicationTimeout) {
		this.replicationTimeout = replicationTimeout;
	}

	public Duration getLiveFlushInterval() {
		return this.liveFlushInterval;
	}

	public void setLiveFlushInterval(Duration liveFlushInterval) {
		this.liveFlushInterval = liveFlushInterval;
	}

	public Duration getStatusInterval() {
		return this.statusInterval;
	}

	public void setStatusInterval(Duration statusInterval) {
		this.statusInterval = statusInterval;
	}

	public Duration getKafkaUnavailableGrace() {
		return this.kafkaUnavailableGrace;
	}

	public void setKafkaUnavailableGrace(Duration kafkaUnavailableGrace) {
		this.kafkaUnavailableGrace = kafkaUnavailableGrace;
	}

	public Duration getKafkaStartupTimeout() {
		return this.kafkaStartupTimeout;
	}

	public void setKafkaStartupTimeout(Duration kafkaStartupTimeout) {
		this.kafkaStartupTimeout = kafkaStartupTimeout;
	}

	public Duration getReconnectBackoff() {
		return this.reconnectBackoff;
	}

	public void setReconnectBackoff(Duration reconnectBackoff) {
		this.reconnectBackoff = reconnectBackoff;
	}

	public Duration getReconnectMaxBackoff() {
		return this.reconnectMaxBackoff;
	}

	public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
		this.reconnectMaxBackoff = reconnectMaxBackoff;
	}

	public Duration getStandbyRetryInterval() {
		return this.standbyRetryInterval;
	}

	public void setStandbyRetryInterval(Duration standbyRetryInterval) {
		this.standbyRetryInterval = standbyRetryInterval;
	}

	public Duration getBalanceInterval() {
		return this.balanceInterval;
	}

	public void setBalanceInterval(Duration balanceInterval) {
		this.balanceInterval = balanceInterval;
	}

	public DataSize getRetainedWalWarning() {
		return this.retainedWalWarning;
	}

	public void setRetainedWalWarning(DataSize retainedWalWarning) {
		this.retainedWalWarning = retainedWalWarning;
	}

	public DataSize getRetainedWalCritical() {
		return this.retainedWalCritical;
	}

	public void setRetainedWalCritical(DataSize retainedWalCritical) {
		this.retainedWalCritical = retainedWalCritical;
	}

	public @Nullable String getDeadLetterTopic() {
		return this.deadLetterTopic;
	}

	public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
		this.deadLetterTopic = deadLetterTopic;
	}

	public String getSlotHistoryTopic() {
		return this.slotHistoryTopic;
	}

	public void setSlotHistoryTopic(String slotHistoryTopic) {
		this.slotHistoryTopic = slotHistoryTopic;
	}

	public boolean isAllowSlotRecreation() {
		return this.allowSlotRecreation;
	}

	public void setAllowSlotRecreation(boolean allowSlotRecreation) {
		this.allowSlotRecreation = allowSlotRecreation;
	}

	public boolean isFailoverSlot() {
		return this.failoverSlot;
	}

	public void setFailoverSlot(boolean failoverSlot) {
		this.failoverSlot = failoverSlot;
	}

	public Topics getTopics() {
		return this.topics;
	}

	public RecordFormat getRecordFormat() {
		return this.recordFormat;
	}

	public void setRecordFormat(RecordFormat recordFormat) {
		this.recordFormat = recordFormat;
	}

	public CloudEvents getCloudevents() {
		return this.cloudevents;
	}

	/**
	 * The record formats of {@code outbox.relay.record-format}.
	 */
	public enum RecordFormat {

		/** The relay's plain headers. */
		PLAIN,

		/** CloudEvents 1.0, binary content mode. */
		CLOUDEVENTS

	}

	/**
	 * CloudEvents settings, used with {@code outbox.relay.record-format=cloudevents}.
	 */
	public static class CloudEvents {

		/**
		 * The ce_source of every record: a URI-reference naming the producing service, for example
		 * /order-service. Required with record-format=cloudevents.
		 */
		private @Nullable String source;

		public @Nullable String getSource() {
			return this.source;
		}

		public void setSource(@Nullable String source) {
			this.source = source;
		}

	}

	/**
	 * What to publish of the rows already in the table when the slot is created.
	 */
	public enum SnapshotMode {

		/** Publish only changes committed after the slot was created. */
		NEVER,

		/** Publish the rows of the snapshot exported at slot creation, then stream. */
		INITIAL

	}

	/**
	 * One source of {@code outbox.relay.sources}: a database (its own connection), the slot and
	 * publication the relay streams there, and what differs from the flat settings. Every setting
	 * left unset is inherited from {@code outbox.relay.*}.
	 */
	public static class Source {

		/**
		 * Name of the source: its health component and the source tag of its metrics. Letters,
		 * digits, '-' and '_'.
		 */
		private @Nullable String name;

		/**
		 * JDBC URL of the source's database (required).
		 */
		private @Nullable String url;

		/**
		 * Role of the source's connections, with the REPLICATION attribute; spring.datasource.username
		 * when unset.
		 */
		private @Nullable String username;

		/**
		 * Password of the role; spring.datasource.password when unset.
		 */
		private @Nullable String password;

		/**
		 * Outbox table of this source; outbox.relay.table when unset.
		 */
		private @Nullable String table;

		/**
		 * Replication slot of this source; outbox.relay.slot-name when unset. Unique per database.
		 */
		private @Nullable String slotName;

		/**
		 * Publication of this source; outbox.relay.publication-name when unset.
		 */
		private @Nullable String publicationName;

		/**
		 * Topic template of this source's events; outbox.relay.topic-template when unset.
		 */
		private @Nullable String topicTemplate;

		/**
		 * Whether to create this source's slot when missing; outbox.relay.create-slot when unset.
		 */
		private @Nullable Boolean createSlot;

		/**
		 * Whether to create this source's publication when missing; outbox.relay.create-publication
		 * when unset.
		 */
		private @Nullable Boolean createPublication;

		/**
		 * Snapshot mode of this source; outbox.relay.snapshot-mode when unset.
		 */
		private @Nullable SnapshotMode snapshotMode;

		/**
		 * Whether this source's slot may be created anew; outbox.relay.allow-slot-recreation when unset.
		 */
		private @Nullable Boolean allowSlotRecreation;

		/**
		 * Whether this source's slot follows a failover (PostgreSQL 17 and later);
		 * outbox.relay.failover-slot when unset.
		 */
		private @Nullable Boolean failoverSlot;

		/**
		 * Number of shards of this source's outbox: N > 1 streams it as N sources named name-i,
		 * each with its own slot slot-name_i and publication publication-name_i, whose row filter
		 * (defined by the relay) publishes the aggregates with (hashtext(aggregate_id) &
		 * 2147483647) % N = i. Fixed while its slots exist; 1 streams it unsharded.
		 */
		private int shards = 1;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getTable() {
			return this.table;
		}

		public void setTable(@Nullable String table) {
			this.table = table;
		}

		public @Nullable String getSlotName() {
			return this.slotName;
		}

		public void setSlotName(@Nullable String slotName) {
			this.slotName = slotName;
		}

		public @Nullable String getPublicationName() {
			return this.publicationName;
		}

		public void setPublicationName(@Nullable String publicationName) {
			this.publicationName = publicationName;
		}

		public @Nullable String getTopicTemplate() {
			return this.topicTemplate;
		}

		public void setTopicTemplate(@Nullable String topicTemplate) {
			this.topicTemplate = topicTemplate;
		}

		public @Nullable Boolean getCreateSlot() {
			return this.createSlot;
		}

		public void setCreateSlot(@Nullable Boolean createSlot) {
			this.createSlot = createSlot;
		}

		public @Nullable Boolean getCreatePublication() {
			return this.createPublication;
		}

		public void setCreatePublication(@Nullable Boolean createPublication) {
			this.createPublication = createPublication;
		}

		public @Nullable SnapshotMode getSnapshotMode() {
			return this.snapshotMode;
		}

		public void setSnapshotMode(@Nullable SnapshotMode snapshotMode) {
			this.snapshotMode = snapshotMode;
		}

		public int getShards() {
			return this.shards;
		}

		public void setShards(int shards) {
			this.shards = shards;
		}

		public @Nullable Boolean getAllowSlotRecreation() {
			return this.allowSlotRecreation;
		}

		public void setAllowSlotRecreation(@Nullable Boolean allowSlotRecreation) {
			this.allowSlotRecreation = allowSlotRecreation;
		}

		public @Nullable Boolean getFailoverSlot() {
			return this.failoverSlot;
		}

		public void setFailoverSlot(@Nullable Boolean failoverSlot) {
			this.failoverSlot = failoverSlot;
		}

	}

	/**
	 * Creation of missing topics with the Kafka AdminClient.
	 */
	public static class Topics {

		/**
		 * Whether to create missing topics before the first record is sent to them.
		 */
		private boolean create = false;

		/**
		 * Partitions of created topics.
		 */
		private int partitions = 6;

		/**
		 * Replication factor of created topics; -1 takes the broker's default.
		 */
		private short replicationFactor = -1;

		public boolean isCreate() {
			return this.create;
		}

		public void setCreate(boolean create) {
			this.create = create;
		}

		public int getPartitions() {
			return this.partitions;
		}

		public void setPartitions(int partitions) {
			this.partitions = partitions;
		}

		public short getReplicationFactor() {
			return this.replicationFactor;
		}

		public void setReplicationFactor(short replicationFactor) {
			this.replicationFactor = replicationFactor;
		}

	}

}
