package dev.outbox.relay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.testsupport.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's health over HTTP, as an orchestrator and a monitor read it: the component
 * {@code outboxRelay} never says UP before the relay streams, readiness is UP only for a relay
 * that streams or stands by, liveness stays UP while it starts, details stay private by default,
 * and every health request answers within 2 seconds whatever PostgreSQL does.
 */
@Tag("pg-versions")
class RelayHealthIntegrationTests extends RelayIntegrationTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void startingRelayIsUnknownAndNotReadyButLiveAndHidesDetailsByDefault() throws Exception {
		// A transaction with an xid keeps slot creation (and so the initial snapshot) waiting: the
		// relay has started as an application and its pipeline is still STARTING.
		try (Connection blocker = this.fixture.database.connect()) {
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("SELECT pg_current_xact_id()");
			}
			ConfigurableApplicationContext relay = this.fixture.startRelay("outbox.relay.snapshot-mode=initial");
			HealthIndicator indicator = relay.getBean("outboxRelay", HealthIndicator.class);
			// The slot query's 1 s bound is for a warm relay: on a loaded machine, the health
			// connection's first login may still be under way (a later test proves the bound).
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(indicator.health(true).getStatus().getCode()).isEqualTo("UNKNOWN"));
			Answer component = get(relay, "/actuator/health/outboxRelay");
			assertThat(component.json().path("status").asString())
				.as(() -> component + ", now " + indicator.health(true))
				.isEqualTo("UNKNOWN");
			assertThat(component.json().has("details")).as("details shown by default: " + component).isFalse();
			Answer readiness = get(relay, "/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
			assertThat(readiness.json().path("status").asString()).isEqualTo("OUT_OF_SERVICE");
			Answer liveness = get(relay, "/actuator/health/liveness");
			assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
			assertThat(liveness.json().path("status").asString()).isEqualTo("UP");
			blocker.commit();
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(get(relay, "/actuator/health/readiness").status()).isEqualTo(200));
			assertThat(get(relay, "/actuator/health/outboxRelay").json().path("status").asString()).isEqualTo("UP");
		}
	}

	@Test
	void streamingRelayAndStandbyRelayAreBothReadyAndLive() throws Exception {
		ConfigurableApplicationContext active = this.fixture.startRelay();
		awaitState(active, "streaming");
		ConfigurableApplicationContext standby = this.fixture.startRelay();
		awaitState(standby, "standby");
		for (ConfigurableApplicationContext relay : new ConfigurableApplicationContext[] { active, standby }) {
			Answer readiness = get(relay, "/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
			assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
			Answer liveness = get(relay, "/actuator/health/liveness");
			assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
		}
	}

	@Test
	void healthAnswersWithinTwoSecondsWhilePostgresIsStalled() throws Exception {
		try (TcpProxy proxy = TcpProxy.open("postgres").forwardTo(this.fixture.database.server().port())) {
			String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + this.fixture.database.name();
			ConfigurableApplicationContext relay = this.fixture.startRelayOverriding("spring.datasource.url=" + url,
					"management.endpoint.health.show-details=always");
			awaitState(relay, "streaming");
			// A monitor has polled before: the first request's one-off costs (JSON, MVC) are not PostgreSQL's.
			get(relay, "/actuator/health");
			proxy.set(TcpProxy.Mode.STALL);
			try {
				// Twice: the second request comes while the first one's query still hangs.
				for (int i = 0; i < 2; i++) {
					long started = System.nanoTime();
					Answer health = get(relay, "/actuator/health", Duration.ofSeconds(5));
					Duration took = Duration.ofNanos(System.nanoTime() - started);
					assertThat(took).as("request %d answered after %s: %s", i + 1, took, health)
						.isLessThan(Duration.ofSeconds(2));
					JsonNode component = health.json().path("components").path("outboxRelay");
					assertThat(component.path("status").asString()).as(health.toString()).isEqualTo("DOWN");
					assertThat(component.path("details").path("reason").asString()).as(health.toString())
						.contains("PostgreSQL did not answer");
				}
			}
			finally {
				proxy.set(TcpProxy.Mode.PASS);
			}
		}
	}

	private void awaitState(ConfigurableApplicationContext relay, String state) {
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", state));
	}

	private Answer get(ConfigurableApplicationContext relay, String path) throws IOException, InterruptedException {
		return get(relay, path, Duration.ofSeconds(10));
	}

	private Answer get(ConfigurableApplicationContext relay, String path, Duration timeout)
			throws IOException, InterruptedException {
		String port = relay.getEnvironment().getRequiredProperty("local.server.port");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(timeout)
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), response.body());
	}

	/** An HTTP answer: its status code and its JSON body. */
	private record Answer(int status, String body) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		@Override
		public String toString() {
			return "HTTP " + this.status + " " + this.body;
		}

	}

}
