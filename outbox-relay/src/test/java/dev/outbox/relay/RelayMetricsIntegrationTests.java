package dev.outbox.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's {@code /actuator/prometheus}, as Prometheus scrapes it once events flowed through a
 * real PostgreSQL and a real Kafka: the relay's own meters (state, lag in seconds, failures, dead
 * letters) and Kafka's producer metrics are there, and so is every metric the operations kit's
 * Grafana dashboard and Prometheus rules ({@code ops/}) query.
 */
class RelayMetricsIntegrationTests extends RelayIntegrationTestSupport {

	private static final Path OPS = Path.of("../ops");

	/** The relay's and its producer's metric names, as they appear in a PromQL expression. */
	private static final Pattern QUERIED_NAME = Pattern.compile("\\b((?:outbox_relay|kafka_producer)_[a-zA-Z0-9_]+)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void prometheusExposesStateLagFailuresDeadLettersAndProducerMetricsAfterEventsFlow() throws Exception {
		ConfigurableApplicationContext relay = this.fixture.startRelay();
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", "streaming"));
		this.fixture.writeTransaction("order", "order-1", 3);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(scrape(relay)).contains("outbox_relay_events_published_total{"));
		String scrape = scrape(relay);
		assertThat(scrape).contains("outbox_relay_state{state=\"STREAMING\"} 1")
			.contains("outbox_relay_state{state=\"STANDBY\"} 0")
			.contains("outbox_relay_lag_seconds ")
			.contains("outbox_relay_failures_total 0")
			.contains("outbox_relay_dead_letters_total 0");
		assertThat(metricNames(scrape)).contains("kafka_producer_request_latency_avg",
				"kafka_producer_record_error_total", "kafka_producer_record_send_total");
		// Everything written is acknowledged: nothing is pending, so no lag.
		MeterRegistry meters = relay.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(meters.get("outbox.relay.lag").gauge().value()).isZero());
	}

	@Test
	void everyMetricTheDashboardAndTheAlertRulesQueryIsInThePrometheusScrape() throws Exception {
		Set<String> queried = new TreeSet<>();
		dashboardExpressions().forEach((expression) -> queried.addAll(queriedNames(expression)));
		ruleExpressions().forEach((expression) -> queried.addAll(queriedNames(expression)));
		assertThat(queried).contains("outbox_relay_state", "outbox_relay_lag_seconds", "outbox_relay_slot_retained_bytes",
				"outbox_relay_dead_letters_total", "outbox_relay_failures_total", "kafka_producer_request_latency_avg");
		ConfigurableApplicationContext relay = this.fixture.startRelay();
		this.fixture.writeTransaction("order", "order-1", 3);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(metricNames(scrape(relay))).containsAll(queried));
	}

	@Test
	void retainedWalAlertsUseTheRelaysDefaultThresholds() throws Exception {
		RelayProperties defaults = new RelayProperties();
		Map<String, String> alerts = new LinkedHashMap<>();
		for (Map<String, Object> rule : rules()) {
			alerts.put(String.valueOf(rule.get("alert")), String.valueOf(rule.get("expr")));
		}
		assertThat(alerts.get("OutboxRelayRetainedWalWarning"))
			.endsWith(">= " + defaults.getRetainedWalWarning().toBytes());
		assertThat(alerts.get("OutboxRelayRetainedWalCritical"))
			.endsWith(">= " + defaults.getRetainedWalCritical().toBytes());
	}

	private static Set<String> queriedNames(String expression) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = QUERIED_NAME.matcher(expression);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	private static List<String> dashboardExpressions() throws Exception {
		JsonNode dashboard = JsonMapper.builder().build()
			.readTree(Files.readString(OPS.resolve("grafana/outbox-relay-dashboard.json")));
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				expressions.add(target.path("expr").asString());
			}
		}
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if (variable.path("type").asString().equals("query")) {
				expressions.add(variable.path("query").asString());
			}
		}
		assertThat(expressions).as("dashboard queries").isNotEmpty();
		return expressions;
	}

	private static List<String> ruleExpressions() throws Exception {
		List<String> expressions = rules().stream().map((rule) -> String.valueOf(rule.get("expr"))).toList();
		assertThat(expressions).as("alert expressions").isNotEmpty();
		return expressions;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> rules() throws Exception {
		Map<String, Object> file = new Yaml().load(Files.readString(OPS.resolve("prometheus/outbox-relay-rules.yml")));
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
			rules.addAll((List<Map<String, Object>>) group.get("rules"));
		}
		return rules;
	}

	String scrape(ConfigurableApplicationContext relay) throws Exception {
		String port = relay.getEnvironment().getRequiredProperty("local.server.port");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
			.timeout(Duration.ofSeconds(10))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	/**
	 * The sample names of a Prometheus text exposition: each non-comment line up to its labels or
	 * value.
	 * @param scrape the exposition
	 * @return its metric names
	 */
	static Set<String> metricNames(String scrape) {
		Set<String> names = new TreeSet<>();
		for (String line : scrape.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int end = 0;
			while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
				end++;
			}
			names.add(line.substring(0, end));
		}
		return names;
	}

}
