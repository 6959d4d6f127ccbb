package dev.outbox.sample;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.outbox.sample.order.events.OrderEvent;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.server.config.AbstractKafkaConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml} cannot be run here (no Docker engine), so this reads it and checks
 * that every image, port, URL and variable it names agrees with the code: the Kafka version the
 * project is built and tested with, real broker settings, application properties that exist
 * (bound as Spring Boot binds environment variables), the ports the applications listen on,
 * the topic the relay publishes order events to being the one the sample consumes, images pinned
 * to exact versions, and the relay running as the least-privilege role PostgreSQL's init script
 * creates (the privileges {@code RelaySlotHistoryIntegrationTests} streams with).
 */
class DockerComposeFileUnitTests {

	private static final Path ROOT = Path.of("..");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, Object> services = map(load(ROOT.resolve("docker-compose.yml")), "services");

	@Test
	void runsPostgresKafkaTheSampleAndTheRelay() {
		assertThat(this.services).containsOnlyKeys("postgres", "kafka", "sample", "relay");
	}

	@Test
	void postgresHasLogicalWalAndAFiniteSlotRetention() {
		Map<String, Object> postgres = service("postgres");
		// max_slot_wal_keep_size and wal_status exist from PostgreSQL 13 on.
		assertThat(Integer.parseInt(image(postgres, "postgres").split("\\.")[0])).isGreaterThanOrEqualTo(13);
		List<String> settings = settings(postgres);
		assertThat(settings).contains("wal_level=logical");
		assertThat(settings).anySatisfy(setting -> assertThat(setting).matches("max_slot_wal_keep_size=\\d+[kMGT]?B"));
		assertThat(settings).anySatisfy(setting -> assertThat(setting).startsWith("max_replication_slots="));
		assertThat(settings).anySatisfy(setting -> assertThat(setting).startsWith("max_wal_senders="));
	}

	@Test
	void everyPulledImageIsPinnedToAnExactVersion() {
		this.services.forEach((name, definition) -> {
			Map<String, Object> service = asMap(definition);
			if (!service.containsKey("build")) {
				assertThat(String.valueOf(service.get("image"))).as("image of %s", name)
					.matches("[a-z0-9/._-]+:\\d+\\.\\d+(\\.\\d+)?");
			}
		});
	}

	@Test
	void relayRunsAsTheLeastPrivilegeRoleThePostgresInitScriptCreates() throws IOException {
		Map<String, Object> postgres = service("postgres");
		assertThat(list(postgres, "volumes")).contains(
				"./ops/compose/postgres-init.sh:/docker-entrypoint-initdb.d/10-outbox-relay.sh:ro",
				"./db/migration:/outbox-contract:ro");
		assertThat(ROOT.resolve("db/migration/V1__outbox_event.sql")).exists();
		String script = Files.readString(ROOT.resolve("ops/compose/postgres-init.sh"));
		Map<String, String> relay = environment(service("relay"));
		String role = relay.get("SPRING_DATASOURCE_USERNAME");
		assertThat(role).isNotEqualTo(environment(postgres).get("POSTGRES_USER"));
		assertThat(script).contains("/outbox-contract/V1__outbox_event.sql")
			.contains("s/${outbox_table}/" + relay.get("OUTBOX_RELAY_TABLE") + "/g")
			.contains("CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD '" + relay.get("SPRING_DATASOURCE_PASSWORD") + "';")
			.contains("GRANT SELECT ON " + relay.get("OUTBOX_RELAY_TABLE") + " TO " + role + ";")
			.contains("CREATE PUBLICATION " + relay.get("OUTBOX_RELAY_PUBLICATION_NAME") + " FOR TABLE "
					+ relay.get("OUTBOX_RELAY_TABLE") + " WITH (publish = 'insert');")
			.doesNotContain("SUPERUSER");
		assertThat(relay).containsEntry("OUTBOX_RELAY_CREATE_PUBLICATION", "false");
	}

	@Test
	void kafkaIsTheVersionTheProjectIsBuiltAndTestedWith() {
		assertThat(image(service("kafka"), "apache/kafka")).isEqualTo(AppInfoParser.getVersion());
	}

	@Test
	void everyKafkaVariableIsABrokerSetting() {
		Set<String> brokerSettings = AbstractKafkaConfig.CONFIG_DEF.names();
		// The apache/kafka image turns KAFKA_A_B into a.b (and __ into _, ___ into -).
		assertThat(environment(service("kafka")).keySet()).allSatisfy(variable -> {
			assertThat(variable).startsWith("KAFKA_");
			String setting = variable.substring("KAFKA_".length())
				.replace("___", "-")
				.replace("__", "\0")
				.replace('_', '.')
				.replace('\0', '_')
				.toLowerCase();
			assertThat(brokerSettings).as("broker setting of %s", variable).contains(setting);
		});
	}

	@Test
	void everySampleVariableIsAPropertyOfTheSample() throws IOException {
		Set<String> known = new TreeSet<>(springBootProperties(true));
		known.addAll(flatten("", load(Path.of("src/main/resources/application.yml"))).keySet());
		assertThat(environment(service("sample")).keySet()).allSatisfy(variable -> assertThat(bindsToOneOf(variable, known))
			.as("%s binds to a property of the sample", variable)
			.isTrue());
	}

	@Test
	void everyRelayVariableIsAPropertyOfTheRelay() throws IOException {
		Set<String> known = new TreeSet<>(springBootProperties(false));
		known.addAll(relayApplicationProperties().stringPropertyNames());
		known.addAll(relayConfigurationProperties());
		assertThat(known).contains("outbox.relay.slot-name", "outbox.relay.topic-template");
		assertThat(environment(service("relay")).keySet()).allSatisfy(variable -> assertThat(bindsToOneOf(variable, known))
			.as("%s binds to a property of the relay", variable)
			.isTrue());
	}

	@Test
	void theApplicationsReachPostgresAndKafkaAsComposeNamesThem() {
		Map<String, String> postgres = environment(service("postgres"));
		String internalListener = Stream.of(environment(service("kafka")).get("KAFKA_ADVERTISED_LISTENERS").split(","))
			.filter(listener -> listener.startsWith("INTERNAL://"))
			.map(listener -> listener.substring("INTERNAL://".length()))
			.findFirst()
			.orElseThrow();
		for (String application : List.of("sample", "relay")) {
			Map<String, String> environment = environment(service(application));
			assertThat(environment).as(application)
				.containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"))
				.containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", internalListener);
		}
		// The sample owns the schema (its migrations); the relay has a role of its own (see above).
		assertThat(environment(service("sample"))).containsEntry("SPRING_DATASOURCE_USERNAME", postgres.get("POSTGRES_USER"))
			.containsEntry("SPRING_DATASOURCE_PASSWORD", postgres.get("POSTGRES_PASSWORD"));
		assertThat(environment(service("sample")).get("OUTBOX_HEALTH_SLOT_NAME"))
			.isEqualTo(environment(service("relay")).get("OUTBOX_RELAY_SLOT_NAME"));
	}

	@Test
	void theSampleConsumesTheTopicTheRelayPublishesOrderEventsTo() {
		String topic = environment(service("relay")).get("OUTBOX_RELAY_TOPIC_TEMPLATE")
			.replace("{aggregateType}", OrderEvent.AGGREGATE_TYPE);
		assertThat(environment(service("sample"))).containsEntry("SAMPLE_ORDER_EVENTS_TOPIC", topic);
		assertThat(flatten("", load(Path.of("src/main/resources/application.yml"))))
			.containsEntry("sample.order-events.topic", topic);
	}

	@Test
	void portsImagesAndHealthchecksMatchThePortsTheApplicationsListenOn() throws IOException {
		// The sample sets no server.port: Spring Boot's default.
		assertThat(flatten("", load(Path.of("src/main/resources/application.yml")))).doesNotContainKey("server.port");
		assertApplicationService("sample", "sample-order-service", 8080, "/actuator/health/readiness");
		int relayPort = Integer.parseInt(relayApplicationProperties().getProperty("server.port", "8080"));
		assertApplicationService("relay", "outbox-relay", relayPort, "/actuator/health/readiness");
	}

	@Test
	void servicesStartOnlyOnceWhatTheyNeedIsHealthy() {
		assertThat(map(service("relay"), "depends_on")).containsOnlyKeys("postgres", "kafka", "sample");
		assertThat(map(service("sample"), "depends_on")).containsOnlyKeys("postgres", "kafka");
		this.services.forEach((name, definition) -> {
			@SuppressWarnings("unchecked")
			Map<String, Object> dependsOn = (Map<String, Object>) ((Map<String, Object>) definition)
				.getOrDefault("depends_on", Map.of());
			dependsOn.forEach((dependency, condition) -> {
				assertThat(map(asMap(condition), "")).as("%s on %s", name, dependency)
					.containsEntry("condition", "service_healthy");
				assertThat(service(dependency)).as("healthcheck of %s", dependency).containsKey("healthcheck");
			});
		});
	}

	private void assertApplicationService(String name, String module, int port, String healthPath) throws IOException {
		Map<String, Object> service = service(name);
		assertThat(list(service, "ports")).as("ports of %s", name).containsExactly(port + ":" + port);
		Map<String, Object> build = map(service, "build");
		assertThat(build).containsEntry("context", ".");
		Path dockerfile = ROOT.resolve((String) build.get("dockerfile"));
		assertThat(dockerfile).as("Dockerfile of %s", name).exists();
		String text = Files.readString(dockerfile);
		assertThat(text).contains("-pl " + module + " ")
			.contains("EXPOSE " + port + "\n")
			.contains("localhost:" + port + healthPath);
		assertThat(list(map(service, "healthcheck"), "test")).contains("http://localhost:" + port + healthPath);
	}

	// Binds as Spring Boot binds an environment variable: SPRING_KAFKA_BOOTSTRAP_SERVERS and
	// SPRING_KAFKA_BOOTSTRAPSERVERS both give spring.kafka.bootstrap-servers.
	private static boolean bindsToOneOf(String variable, Set<String> properties) {
		ConfigurationPropertySource source = ConfigurationPropertySource
			.from(new SystemEnvironmentPropertySource("compose", Map.of(variable, "value")));
		return properties.stream()
			.filter(ConfigurationPropertyName::isValid)
			.anyMatch(name -> source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null);
	}

	// Spring Boot's and the starter's generated metadata on this module's class path. The relay
	// does not use the starter, so its properties do not count for the relay.
	private static Set<String> springBootProperties(boolean withStarter) throws IOException {
		Set<String> names = new TreeSet<>();
		for (URL url : Collections.list(DockerComposeFileUnitTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			// The starter's folder in the reactor, or its artifact in a local repository.
			if (!withStarter && (url.toString().contains("outbox-starter")
					|| url.toString().contains("outbox-spring-boot-starter"))) {
				continue;
			}
			try (InputStream in = url.openStream()) {
				json.readTree(in).path("properties").valueStream().map(property -> property.path("name").asString())
					.forEach(names::add);
			}
		}
		return names;
	}

	private static Properties relayApplicationProperties() throws IOException {
		Properties properties = new Properties();
		Path file = ROOT.resolve("outbox-relay/src/main/resources/application.properties");
		try (Reader reader = Files.newBufferedReader(file)) {
			properties.load(reader);
		}
		return properties;
	}

	// The relay's own properties, read from its sources (the relay is not on this module's class
	// path): each setter of a @ConfigurationProperties class, under the class's prefix, and the
	// setters of its nested classes under the name of the field that holds them.
	private static Set<String> relayConfigurationProperties() throws IOException {
		Set<String> names = new TreeSet<>();
		Pattern annotation = Pattern.compile("@ConfigurationProperties\\(\"([^\"]+)\"\\)");
		Pattern nestedField = Pattern.compile("private final (\\w+) (\\w+) = new \\1\\(\\)");
		Pattern declarationOrSetter = Pattern.compile("\\bclass (\\w+)|public void set(\\w+)\\(");
		try (Stream<Path> files = Files.walk(ROOT.resolve("outbox-relay/src/main/java"))) {
			for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
				String source = Files.readString(file);
				Matcher prefix = annotation.matcher(source);
				if (!prefix.find()) {
					continue;
				}
				Map<String, String> groups = new LinkedHashMap<>();
				Matcher nested = nestedField.matcher(source);
				while (nested.find()) {
					groups.put(nested.group(1), "." + kebab(nested.group(2)));
				}
				String group = "";
				Matcher matcher = declarationOrSetter.matcher(source);
				while (matcher.find()) {
					if (matcher.group(1) != null) {
						group = groups.getOrDefault(matcher.group(1), "");
					}
					else {
						names.add(prefix.group(1) + group + "." + kebab(matcher.group(2)));
					}
				}
			}
		}
		return names;
	}

	private static String kebab(String name) {
		return (Character.toLowerCase(name.charAt(0)) + name.substring(1)).replaceAll("([a-z0-9])([A-Z])", "$1-$2")
			.toLowerCase();
	}

	private static String image(Map<String, Object> service, String repository) {
		String image = (String) service.get("image");
		assertThat(image).startsWith(repository + ":");
		return image.substring(repository.length() + 1);
	}

	private static List<String> settings(Map<String, Object> postgres) {
		List<String> command = list(postgres, "command");
		assertThat(command.get(0)).isEqualTo("postgres");
		return command.stream().filter(argument -> argument.contains("=")).toList();
	}

	private Map<String, Object> service(String name) {
		return map(this.services, name);
	}

	private static Map<String, String> environment(Map<String, Object> service) {
		Map<String, String> environment = new LinkedHashMap<>();
		map(service, "environment").forEach((key, value) -> environment.put(key, String.valueOf(value)));
		return environment;
	}

	private static Map<String, Object> flatten(String prefix, Map<String, Object> yaml) {
		Map<String, Object> flat = new LinkedHashMap<>();
		yaml.forEach((key, value) -> {
			String name = prefix.isEmpty() ? key : prefix + "." + key;
			if (value instanceof Map<?, ?>) {
				flat.putAll(flatten(name, asMap(value)));
			}
			else {
				flat.put(name, value);
			}
		});
		return flat;
	}

	private static Map<String, Object> load(Path file) {
		try (Reader reader = Files.newBufferedReader(file)) {
			return asMap(new Yaml().load(reader));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		Object value = key.isEmpty() ? parent : parent.get(key);
		assertThat(value).as(key).isInstanceOf(Map.class);
		return asMap(value);
	}

	@SuppressWarnings("unchecked")
	private static List<String> list(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(List.class);
		return ((List<Object>) value).stream().map(String::valueOf).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object value) {
		return (Map<String, Object>) value;
	}

}
