package dev.outbox.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUnitTests {

	@Test
	void urlOfPgLocal() {
		Database database = Database.fromJdbcUrl("jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres");
		assertThat(database).isEqualTo(new Database("127.0.0.1", 55433, "postgres", "postgres"));
		assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:55433/postgres");
		assertThat(database.conninfo()).isEqualTo("host=127.0.0.1 port=55433 user=postgres dbname=postgres");
	}

	@Test
	void lsnText() {
		assertThat(Database.lsnText(0x1_6B37_4D48L)).isEqualTo("1/6B374D48");
		assertThat(Database.lsnText(0)).isEqualTo("0/0");
	}

}
