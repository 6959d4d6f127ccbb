package dev.outbox.testsupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PostgresServerUnitTests {

	@Test
	void urlGivesHostPortDatabaseAndCredentials() {
		PostgresServer server = PostgresServer.fromUrl("jdbc:postgresql://db.local:6543/admin?user=alice&password=s3cret");
		assertThat(server.host()).isEqualTo("db.local");
		assertThat(server.port()).isEqualTo(6543);
		assertThat(server.username()).isEqualTo("alice");
		assertThat(server.password()).isEqualTo("s3cret");
		assertThat(server.jdbcUrl("other")).isEqualTo("jdbc:postgresql://db.local:6543/other");
	}

	@Test
	void urlWithoutPortOrUserFallsBackToDefaults() {
		PostgresServer server = PostgresServer.fromUrl("jdbc:postgresql://localhost/postgres");
		assertThat(server.port()).isEqualTo(5432);
		assertThat(server.username()).isEqualTo("postgres");
		assertThat(server.password()).isEmpty();
	}

	@Test
	void foreignUrlIsRejectedNamingTheVariable() {
		assertThatIllegalStateException().isThrownBy(() -> PostgresServer.fromUrl("jdbc:mysql://localhost/x"))
			.withMessageContaining(PostgresServer.URL_VARIABLE);
	}

	@Test
	void uniqueIdentifiersAreValidAndDistinct() {
		String first = PostgresServer.uniqueIdentifier("My-Test.Class".repeat(10));
		String second = PostgresServer.uniqueIdentifier("My-Test.Class".repeat(10));
		assertThat(first).matches("[a-z][a-z0-9_]{0,62}").isNotEqualTo(second);
		assertThat(PostgresServer.uniqueIdentifier("9lives")).startsWith("t_9lives_");
	}

}
