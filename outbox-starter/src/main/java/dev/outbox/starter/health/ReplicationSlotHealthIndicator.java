package dev.outbox.starter.health;

import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

import dev.outbox.contract.SlotFacts;
import dev.outbox.contract.SlotHealth;
import dev.outbox.contract.SlotHealthRule;

/**
 * Reports the replication slot the relay reads the outbox from: whether it exists, whether
 * a consumer is {@code active} on it, its {@code wal_status}, why the server invalidated it
 * ({@code invalidationCause}, {@link SlotHealthRule#INVALIDATION_SQL}, read alike on PostgreSQL 15
 * to 18), and the WAL it retains
 * ({@link SlotHealthRule#RETAINED_WAL_SQL}), in bytes.
 * <ul>
 * <li>{@link Status#DOWN DOWN}: the slot does not exist (events written now are never
 * relayed);</li>
 * <li>otherwise the level {@link SlotHealthRule} decides, the same rule the relay's own health
 * applies: DOWN when the slot is {@code lost} or its retained WAL reaches the critical
 * threshold, {@link #WARNING} when it is {@code unreserved} or reaches the warning threshold,
 * {@link Status#UP UP} otherwise (an inactive slot is only shown in the details), with the
 * {@code reason} in the details.</li>
 * </ul>
 * Checked in the same way as Spring Boot's {@code DiskSpaceHealthIndicator}: a
 * {@link DataSize} threshold and details for every figure.
 * <p>
 * <b>Informational only.</b> The relay being behind is no reason to restart this service, so
 * the indicator belongs to no health group: Spring Boot's {@code liveness} and
 * {@code readiness} groups include only their availability states unless configured
 * otherwise, and nothing in the starter adds this indicator to a group. It does count in the
 * overall {@code /actuator/health} status when {@code DOWN}. {@link #WARNING} is not in
 * Spring Boot's default status order, so it does not change the aggregate status; add it to
 * {@code management.endpoint.health.status.order} (for example
 * {@code down,out-of-service,warning,up,unknown}) to make it count.
 */
public class ReplicationSlotHealthIndicator extends AbstractHealthIndicator {

	/** Status for a slot whose retained WAL is above the warning threshold. */
	public static final Status WARNING = new Status("WARNING", "Retained WAL above the warning threshold");

	private static final String QUERY = "SELECT active, wal_status, (" + SlotHealthRule.RETAINED_WAL_SQL
			+ ")::bigint AS retained, restart_lsn::text AS restart_lsn, "
			+ "confirmed_flush_lsn::text AS confirmed_flush_lsn, " + SlotHealthRule.INVALIDATION_SQL
			+ " AS invalidation_cause FROM pg_replication_slots s WHERE slot_name = ?";

	private final JdbcTemplate jdbcTemplate;

	private final String slotName;

	private final DataSize warningThreshold;

	private final DataSize criticalThreshold;

	/**
	 * Create an indicator.
	 * @param dataSource the data source of the database the slot belongs to
	 * @param slotName the name of the relay's replication slot
	 * @param warningThreshold retained WAL from which the status is {@link #WARNING}
	 * @param criticalThreshold retained WAL from which the status is {@code DOWN}
	 */
	public ReplicationSlotHealthIndicator(DataSource dataSource, String slotName, DataSize warningThreshold,
			DataSize criticalThreshold) {
		super("Replication slot health check failed");
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.slotName = slotName;
		this.warningThreshold = warningThreshold;
		this.criticalThreshold = criticalThreshold;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("slot", this.slotName);
		List<Slot> slots = this.jdbcTemplate.query(QUERY,
				(rs, row) -> new Slot(rs.getBoolean("active"), rs.getString("wal_status"),
						rs.getObject("retained", Long.class), rs.getString("restart_lsn"),
						rs.getString("confirmed_flush_lsn"), rs.getString("invalidation_cause")),
				this.slotName);
		if (slots.isEmpty()) {
			builder.down()
				.withDetail("exists", false)
				.withDetail("reason", "Replication slot '" + this.slotName
						+ "' does not exist: outbox events written now are not relayed");
			return;
		}
		Slot slot = slots.get(0);
		builder.withDetail("exists", true)
			.withDetail("active", slot.active())
			.withDetail("walStatus", String.valueOf(slot.walStatus()))
			.withDetail("restartLsn", String.valueOf(slot.restartLsn()))
			.withDetail("confirmedFlushLsn", String.valueOf(slot.confirmedFlushLsn()))
			.withDetail("warningThreshold", this.warningThreshold.toBytes())
			.withDetail("criticalThreshold", this.criticalThreshold.toBytes());
		if (slot.retainedBytes() != null) {
			builder.withDetail("retainedWalBytes", slot.retainedBytes());
		}
		SlotFacts facts = new SlotFacts(slot.walStatus(), slot.retainedBytes(), slot.invalidationCause());
		builder.withDetail("invalidationCause", facts.invalidationLabel());
		SlotHealth health = SlotHealthRule.evaluate(facts, this.warningThreshold.toBytes(),
				this.criticalThreshold.toBytes());
		builder.status(switch (health.level()) {
			case UP -> Status.UP;
			case WARNING -> WARNING;
			case DOWN -> Status.DOWN;
		});
		if (health.reason() != null) {
			builder.withDetail("reason", health.reason());
		}
	}

	private record Slot(boolean active, @Nullable String walStatus, @Nullable Long retainedBytes,
			@Nullable String restartLsn, @Nullable String confirmedFlushLsn, @Nullable String invalidationCause) {
	}

}
