package dev.outbox.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ops/kubernetes} cannot be applied here (no cluster), so this reads the manifests and
 * checks them against the relay: the port it listens on, its health groups as probe paths, its
 * Prometheus endpoint, environment variables that bind to real relay properties (as Spring Boot
 * binds them), credentials from the kit's Secret, and two replicas that a disruption budget keeps
 * at least one of.
 */
class KubernetesManifestsUnitTests {

	private static final Path MANIFESTS = Path.of("../ops/kubernetes");

	private static final String NAME_LABEL = "app.kubernetes.io/name";

	private final Map<String, Map<String, Object>> byKind = loadManifests();

	private final Properties application = applicationProperties();

	@Test
	void holdsADeploymentServiceDisruptionBudgetSecretAndServiceMonitor() {
		assertThat(this.byKind).containsOnlyKeys("Deployment", "Service", "PodDisruptionBudget", "Secret",
				"ServiceMonitor");
	}

	@Test
	void twoReplicasOfWhichADisruptionKeepsOne() {
		Map<String, Object> spec = map(this.byKind.get("Deployment"), "spec");
		assertThat(spec).containsEntry("replicas", 2);
		Map<String, Object> rolling = map(map(spec, "strategy"), "rollingUpdate");
		assertThat(rolling).containsEntry("maxUnavailable", 0);
		Map<String, Object> budget = map(this.byKind.get("PodDisruptionBudget"), "spec");
		assertThat(budget).containsEntry("minAvailable", 1);
		Map<String, Object> podLabels = map(map(map(spec, "template"), "metadata"), "labels");
		assertThat(map(map(spec, "selector"), "matchLabels")).isEqualTo(podLabels);
		assertThat(map(map(budget, "selector"), "matchLabels")).isEqualTo(podLabels);
		assertThat(map(map(this.byKind.get("Service"), "spec"), "selector")).isEqualTo(podLabels);
		assertThat(podLabels).containsEntry(NAME_LABEL, "outbox-relay");
	}

	@Test
	void containerPortIsTheRelaysServerPort() {
		int port = Integer.parseInt(this.application.getProperty("server.port", "8080"));
		assertThat(this.application.getProperty("management.server.port")).as("management port").isNull();
		List<Object> ports = list(container(), "ports");
		assertThat(ports).hasSize(1);
		assertThat(map(ports.get(0), "")).containsEntry("name", "http").containsEntry("containerPort", port);
		Map<String, Object> servicePort = map(list(map(this.byKind.get("Service"), "spec"), "ports").get(0), "");
		assertThat(servicePort).containsEntry("port", port).containsEntry("targetPort", "http");
	}

	@Test
	void probesUseTheRelaysHealthGroups() {
		assertThat(this.application.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
		assertThat(this.application.getProperty("management.endpoint.health.group.readiness.include"))
			.contains("outboxRelayReadiness");
		assertThat(this.application.getProperty("management.endpoint.health.group.liveness.include")).isNotBlank();
		Map<String, Object> container = container();
		assertThat(probe(container, "readinessProbe")).containsEntry("path", "/actuator/health/readiness")
			.containsEntry("port", "http");
		assertThat(probe(container, "livenessProbe")).containsEntry("path", "/actuator/health/liveness")
			.containsEntry("port", "http");
		assertThat(probe(container, "startupProbe")).containsEntry("path", "/actuator/health/liveness")
			.containsEntry("port", "http");
	}

	@Test
	void serviceMonitorScrapesThePrometheusEndpoint() {
		assertThat(this.application.getProperty("management.endpoints.web.exposure.include")).contains("prometheus");
		Map<String, Object> spec = map(this.byKind.get("ServiceMonitor"), "spec");
		assertThat(map(map(spec, "selector"), "matchLabels"))
			.isEqualTo(map(map(this.byKind.get("Service"), "metadata"), "labels"));
		Map<String, Object> endpoint = map(list(spec, "endpoints").get(0), "");
		assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus");
	}

	@Test
	void everyVariableBindsToAPropertyOfTheRelay() throws IOException {
		Set<String> known = new TreeSet<>(metadataProperties());
		known.addAll(this.application.stringPropertyNames());
		assertThat(known).contains("outbox.relay.slot-name", "outbox.relay.create-publication", "spring.datasource.url");
		List<String> variables = environment().stream().map((variable) -> String.valueOf(variable.get("name"))).toList();
		assertThat(variables).contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
				"SPRING_KAFKA_BOOTSTRAP_SERVERS", "OUTBOX_RELAY_SLOT_NAME");
		assertThat(variables).allSatisfy((variable) -> assertThat(bindsToOneOf(variable, known))
			.as("%s binds to a property of the relay", variable)
			.isTrue());
	}

	@Test
	void credentialsComeFromTheKitsSecretAndTheRoleDoesNotCreateThePublication() {
		Map<String, Object> secret = this.byKind.get("Secret");
		String secretName = String.valueOf(map(secret, "metadata").get("name"));
		Set<String> keys = map(secret, "stringData").keySet();
		Map<String, Map<String, Object>> fromSecret = new LinkedHashMap<>();
		for (Map<String, Object> variable : environment()) {
			if (variable.get("valueFrom") != null) {
				fromSecret.put(String.valueOf(variable.get("name")), map(map(variable, "valueFrom"), "secretKeyRef"));
			}
		}
		assertThat(fromSecret).containsOnlyKeys("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
		fromSecret.forEach((variable, reference) -> {
			assertThat(reference).as(variable).containsEntry("name", secretName);
			assertThat(keys).as(variable).contains(String.valueOf(reference.get("key")));
		});
		assertThat(environment()).anySatisfy((variable) -> assertThat(variable)
			.containsEntry("name", "OUTBOX_RELAY_CREATE_PUBLICATION")
			.containsEntry("value", "false"));
	}

	private Map<String, Object> container() {
		Map<String, Object> pod = map(map(map(this.byKind.get("Deployment"), "spec"), "template"), "spec");
		List<Object> containers = list(pod, "containers");
		assertThat(containers).hasSize(1);
		return map(containers.get(0), "");
	}

	private List<Map<String, Object>> environment() {
		return list(container(), "env").stream().map((variable) -> map(variable, "")).toList();
	}

	private static Map<String, Object> probe(Map<String, Object> container, String name) {
		return map(map(container, name), "httpGet");
	}

	// Binds as Spring Boot binds an environment variable.
	private static boolean bindsToOneOf(String variable, Set<String> properties) {
		ConfigurationPropertySource source = ConfigurationPropertySource
			.from(new SystemEnvironmentPropertySource("kubernetes", Map.of(variable, "value")));
		return properties.stream()
			.filter(ConfigurationPropertyName::isValid)
			.anyMatch((name) -> source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null);
	}

	// The relay's generated metadata and Spring Boot's, on this module's class path.
	private static Set<String> metadataProperties() throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		Set<String> names = new TreeSet<>();
		for (URL url : Collections.list(KubernetesManifestsUnitTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				json.readTree(in).path("properties").valueStream().map((property) -> property.path("name").asString())
					.forEach(names::add);
			}
		}
		return names;
	}

	private static Properties applicationProperties() {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
			properties.load(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	private static Map<String, Map<String, Object>> loadManifests() {
		Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(MANIFESTS)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".yaml")).sorted().toList()) {
				try (Reader reader = Files.newBufferedReader(file)) {
					for (Object document : new Yaml().loadAll(reader)) {
						Map<String, Object> manifest = map(document, "");
						String kind = String.valueOf(manifest.get("kind"));
						assertThat(byKind).as("one %s (%s)", kind, file).doesNotContainKey(kind);
						byKind.put(kind, manifest);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return byKind;
	}

	private static Map<String, Object> map(Object parent, String key) {
		Object value = key.isEmpty() ? parent : asMap(parent).get(key);
		assertThat(value).as(key).isInstanceOf(Map.class);
		return asMap(value);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(List.class);
		return (List<Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object value) {
		return (Map<String, Object>) value;
	}

}
