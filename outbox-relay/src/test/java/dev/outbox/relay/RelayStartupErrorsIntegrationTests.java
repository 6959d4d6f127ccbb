package dev.outbox.relay;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.outbox.relay.source.RelayStartupException;
import dev.outbox.relay.source.ReplicationSetup;
import dev.outbox.relay.source.SourceSettings;
import dev.outbox.relay.source.SlotStatus;
import dev.outbox.testsupport.ThrowawayPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each misconfiguration stops the relay application from starting, with a message that names the
 * setting at fault and the fix, rather than a relay that runs and publishes nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class RelayStartupErrorsIntegrationTests extends RelayIntegrationTestSupport {

	private final List<String> roles = new ArrayList<>();

	@AfterEach
	void dropRoles() {
		for (String role : this.roles) {
			this.fixture.execute("DROP OWNED BY " + role + "; DROP ROLE " + role);
		}
	}

	@Test
	void replicationTimeoutShorterThanTwoStatusIntervalsFailsStartupNamingBothSettings() {
		String message = startupFailure("outbox.relay.replication-timeout=1s", "outbox.relay.status-interval=1s");
		assertThat(message).contains("outbox.relay.replication-timeout (PT1S)")
			.contains("outbox.relay.status-interval (PT1S)")
			.contains("set it to 0 to turn the check off");
		assertThat(this.fixture.slotExists()).as("slot created by a relay that failed to start").isFalse();
	}

	@Test
	void badTableIdentifierFailsStartupNamingOutboxRelayTable() {
		String message = startupFailure("outbox.relay.table=public.bad-name;drop");
		assertThat(message).contains("outbox.relay.table")
			.contains("public.bad-name;drop")
			.contains("use schema.table");
	}

	@Test
	void missingTableFailsStartupNamingOutboxRelayTableAndTheMigration() {
		String message = startupFailure("outbox.relay.table=public.no_such_outbox");
		assertThat(message).contains("outbox.relay.table=public.no_such_outbox")
			.contains("does not exist")
			.contains("V1__outbox_event.sql");
		assertThat(this.fixture.slotExists()).as("slot created by a relay that failed to start").isFalse();
	}

	@Test
	void publicationThatIsMissingAndCannotBeCreatedFailsStartupNamingThePublicationAndTheStatementToRun() {
		String role = createRole("LOGIN REPLICATION");
		// Everything but ownership of the table, which CREATE PUBLICATION ... FOR TABLE needs.
		this.fixture.execute("GRANT CREATE ON DATABASE " + this.fixture.database.name() + " TO " + role
				+ "; GRANT SELECT ON public.outbox_event TO " + role);
		String publication = this.fixture.slot + "_pub";
		String message = startupFailure("spring.datasource.username=" + role, "spring.datasource.password=" + role);
		assertThat(message).contains("Publication " + publication + " (outbox.relay.publication-name)")
			.contains("cannot be created")
			.contains("must be owner of table outbox_event")
			.contains("Create it as the table's owner: CREATE PUBLICATION \"" + publication
					+ "\" FOR TABLE public.outbox_event WITH (publish = 'insert')");
		assertThat(this.fixture.queryString("SELECT 1 FROM pg_publication WHERE pubname = '" + publication + "'"))
			.isNull();
	}

	@Test
	void publicationThatDoesNotPublishInsertsFailsStartupNamingThePublicationAndTheFix() {
		String publication = this.fixture.slot + "_pub";
		this.fixture.execute("CREATE PUBLICATION " + publication
				+ " FOR TABLE public.outbox_event WITH (publish = 'update, delete')");
		String message = startupFailure();
		assertThat(message).contains("Publication " + publication + " (outbox.relay.publication-name)")
			.contains("does not publish INSERTs (publish = 'update, delete')")
			.contains("ALTER PUBLICATION \"" + publication + "\" SET (publish = 'insert')");
		assertThat(this.fixture.slotExists()).as("slot created by a relay that failed to start").isFalse();
	}

	@Test
	void publicationWithARowFilterFailsStartupNamingTheFilterAndTheFix() {
		String publication = this.fixture.slot + "_pub";
		this.fixture.execute("CREATE PUBLICATION " + publication
				+ " FOR TABLE public.outbox_event WHERE (aggregate_type <> 'internal') WITH (publish = 'insert')");
		String message = startupFailure();
		assertThat(message).contains("Publication " + publication + " (outbox.relay.publication-name)")
			.contains("has a row filter on public.outbox_event")
			.contains("aggregate_type")
			.contains("ALTER PUBLICATION \"" + publication + "\" SET TABLE public.outbox_event");
		assertThat(this.fixture.slotExists()).as("slot created by a relay that failed to start").isFalse();
	}

	@Test
	void publicationWithAColumnListWithoutHeadersFailsStartupNamingTheMissingColumnAndTheFix() {
		String publication = this.fixture.slot + "_pub";
		this.fixture.execute("CREATE PUBLICATION " + publication + " FOR TABLE public.outbox_event "
				+ "(id, aggregate_type, aggregate_id, event_type, payload, created_at) WITH (publish = 'insert')");
		String message = startupFailure();
		assertThat(message).contains("Publication " + publication + " (outbox.relay.publication-name)")
			.contains("publishes only some columns of public.outbox_event, without [headers]")
			.contains("ALTER PUBLICATION \"" + publication + "\" SET TABLE public.outbox_event");
		assertThat(this.fixture.slotExists()).as("slot created by a relay that failed to start").isFalse();
	}

	@Test
	void roleWithoutReplicationFailsStartupNamingTheRoleSettingAndTheGrant() {
		String role = createRole("LOGIN");
		this.fixture.execute("GRANT SELECT ON public.outbox_event TO " + role);
		String message = startupFailure("spring.datasource.username=" + role, "spring.datasource.password=" + role);
		assertThat(message).contains("Role " + role + " (spring.datasource.username)")
			.contains("REPLICATION")
			.contains("ALTER ROLE " + role + " REPLICATION;");
	}

	/**
	 * Amazon RDS and Aurora grant replication through membership in {@code rds_replication}, not the
	 * REPLICATION attribute. Vanilla PostgreSQL would still refuse such a role a walsender, so this
	 * runs the setup's checks directly rather than the whole relay.
	 */
	@Test
	void roleWithoutReplicationThatIsAMemberOfRdsReplicationPassesTheReplicationCheck() throws Exception {
		// Roles are cluster-wide: create it once, and leave it for later runs (it has no privileges).
		this.fixture.execute("DO $$ BEGIN CREATE ROLE rds_replication NOLOGIN; "
				+ "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
		String role = createRole("LOGIN");
		this.fixture.execute("GRANT rds_replication TO " + role + "; GRANT SELECT ON public.outbox_event TO " + role);
		String publication = this.fixture.slot + "_pub";
		this.fixture.execute("CREATE PUBLICATION " + publication + " FOR TABLE public.outbox_event WITH (publish = 'insert')");
		SourceSettings settings = SourceSettings.of("public.outbox_event", publication, true, this.fixture.slot, true,
				false, true, null);
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(this.fixture.database.jdbcUrl());
		dataSource.setUser(role);
		dataSource.setPassword(role);

		SlotStatus slot = new ReplicationSetup(dataSource, settings).prepare();

		assertThat(slot).as("every check passed, and the slot is still to be created").isNull();
	}

	@Test
	void initialSnapshotByARoleThatCannotReadTheTableFailsStartupNamingSnapshotModeAndTheGrant() {
		String role = createRole("LOGIN REPLICATION");
		// The publication exists (created by the table's owner), so the role needs no ownership.
		this.fixture.execute("CREATE PUBLICATION " + this.fixture.slot
				+ "_pub FOR TABLE public.outbox_event WITH (publish = 'insert')");
		String message = startupFailure("spring.datasource.username=" + role, "spring.datasource.password=" + role,
				"outbox.relay.snapshot-mode=initial");
		assertThat(message).contains("outbox.relay.snapshot-mode=initial")
			.contains("role " + role + " (spring.datasource.username) cannot SELECT")
			.contains("GRANT SELECT ON public.outbox_event TO " + role);
	}

	@Test
	void kafkaUnreachableWithinTheStartupTimeoutFailsStartupNamingBootstrapServers() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		long started = System.nanoTime();
		String message = startupFailure("spring.kafka.bootstrap-servers=127.0.0.1:" + closedPort,
				"outbox.relay.kafka-startup-timeout=3s");
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(message).contains("127.0.0.1:" + closedPort)
			.contains("did not answer within PT3S (outbox.relay.kafka-startup-timeout)")
			.contains("Check spring.kafka.bootstrap-servers");
		assertThat(took).as("startup failed after the 3s Kafka timeout, not much later").isLessThan(Duration.ofSeconds(30));
		assertThat(this.fixture.slotExists()).as("slot created by a relay that failed to start").isFalse();
	}

	@Test
	void walLevelNotLogicalFailsStartupNamingWalLevelAndTheFix() {
		try (ThrowawayPostgres replica = ThrowawayPostgres.start("wal-replica", Map.of("wal_level", "replica"))) {
			String message = startupFailure(replica.springDataSourceProperties());
			assertThat(message).contains("wal_level=replica")
				.contains("needs wal_level=logical")
				.contains("ALTER SYSTEM SET wal_level = logical")
				.contains("restart PostgreSQL");
		}
	}

	@Test
	void startupErrorIsReportedAsDescriptionAndActionNotAsAStackTrace(CapturedOutput output) {
		startupFailure("outbox.relay.replication-timeout=1s", "outbox.relay.status-interval=1s");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:")
			.contains("outbox.relay.replication-timeout (PT1S)")
			.contains("Action:")
			.doesNotContain("at dev.outbox.relay.");
	}

	@Test
	void listedSourceWithoutUrlFailsStartupNamingItsUrlSetting() {
		String message = startupFailure("outbox.relay.sources[0].name=a",
				"outbox.relay.sources[0].url=" + this.fixture.database.jdbcUrl(), "outbox.relay.sources[1].name=b");
		assertThat(message).contains("outbox.relay.sources[1].url is not set");
	}

	@Test
	void listedSourceWithAConfigurationErrorFailsStartupNamingTheSource() {
		String message = startupFailure("outbox.relay.sources[0].name=orders",
				"outbox.relay.sources[0].url=" + this.fixture.database.jdbcUrl(),
				"outbox.relay.sources[0].table=public.no_such_outbox");
		assertThat(message).startsWith("Source orders: ").contains("outbox.relay.table=public.no_such_outbox");
	}

	/**
	 * Starts a relay that must fail, and returns the message of the {@link RelayStartupException}
	 * in the exception chain of {@code SpringApplication.run}.
	 */
	private String startupFailure(String... settings) {
		return this.fixture.startupFailure(settings);
	}

	private String createRole(String attributes) {
		String role = this.fixture.database.uniqueName("relay_role");
		this.fixture.execute("CREATE ROLE " + role + " " + attributes + " PASSWORD '" + role + "'");
		this.roles.add(role);
		return role;
	}

}
