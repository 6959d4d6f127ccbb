package dev.outbox.testsupport.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The checker finds each kind of breakage it reports, with its evidence, so that a clean result
 * means something.
 */
class DeliveryCheckUnitTests {

	private final List<Delivery> read = new ArrayList<>();

	@Test
	void everyCommittedEventOnceInOrderIsClean() {
		read("a", "a1", "b", "b1", "a", "a2");
		Examination examination = DeliveryCheck.examine(Map.of("a", List.of("a1", "a2"), "b", List.of("b1")), this.read);
		assertThat(examination.committed()).isEqualTo(3);
		assertThat(examination.distinctDelivered()).isEqualTo(3);
		assertThat(examination.missing()).isZero();
		assertThat(examination.duplicates()).isEmpty();
		assertThat(examination.orderViolations()).isZero();
		assertThat(examination.unknown()).isEmpty();
		assertThat(examination.inconsistencies()).isEmpty();
		assertThat(examination.complete()).isTrue();
		assertThat(examination.firstOccurrences()).containsEntry("a", List.of("a1", "a2"));
	}

	@Test
	void committedEventNoRecordCarriedIsMissingWithNoDelivery() {
		read("a", "a1");
		Examination examination = DeliveryCheck.examine(Map.of("a", List.of("a1", "a2", "a3")), this.read);
		assertThat(examination.missing()).isEqualTo(2);
		assertThat(examination.complete()).isFalse();
		assertThat(examination.firstMissing()).isEqualTo("a2 (key a)");
		assertThat(examination.events().get(1).delivered()).isFalse();
		assertThat(examination.orderViolations()).as("a gap is loss, not disorder").isZero();
	}

	@Test
	void redeliveredIdIsADuplicateRecordedAsEvidenceAndNotAnOrderViolation() {
		read("a", "a1", "a", "a2", "a", "a1");
		Examination examination = DeliveryCheck.examine(Map.of("a", List.of("a1", "a2")), this.read);
		assertThat(examination.duplicates()).singleElement().extracting(Delivery::offset).isEqualTo(2L);
		assertThat(examination.orderViolations()).isZero();
		assertThat(examination.distinctDelivered()).isEqualTo(2);
		assertThat(examination.events().get(0).deliveries()).extracting(Delivery::offset).containsExactly(0L, 2L);
	}

	@Test
	void laterEventFirstPutsTheEarlierOneOutOfOrderNamingBothPlaces() {
		read("a", "a2", "a", "a1");
		Examination examination = DeliveryCheck.examine(Map.of("a", List.of("a1", "a2")), this.read);
		assertThat(examination.orderViolations()).isEqualTo(1);
		assertThat(examination.keysOutOfOrder()).isEqualTo(1);
		assertThat(examination.events().get(0).deliveredAfter()).isEqualTo("a2");
		assertThat(examination.firstOccurrences()).containsEntry("a", List.of("a2", "a1"));
		assertThat(examination.firstOrderViolation())
			.isEqualTo("key a: a1 (partition 0 offset 1) first delivered after a2, committed later (partition 0 offset 0)");
	}

	@Test
	void orderIsPerCommittedKeySoRecordsWithoutAKeyAreCheckedToo() {
		this.read.add(Delivery.ofId(null, "a2", 0, 0));
		this.read.add(Delivery.ofId(null, "a1", 1, 0));
		Examination examination = DeliveryCheck.examine(Map.of("a", List.of("a1", "a2")), this.read);
		assertThat(examination.orderViolations()).isEqualTo(1);
		assertThat(examination.inconsistencies()).as("no key is not a wrong key").isEmpty();
		assertThat(examination.distinctByKey()).containsEntry("", 2L);
	}

	@Test
	void recordNamingNoCommittedEventIsCountedAsUnknownButNotOrderChecked() {
		read("a", "a2", "a", "never-committed", "a", "a3");
		Examination examination = DeliveryCheck.examine(Map.of("a", List.of("a2", "a3")), this.read);
		assertThat(examination.unknown()).singleElement().extracting(Delivery::event).isEqualTo("never-committed");
		assertThat(examination.orderViolations()).isZero();
		assertThat(examination.distinctDelivered()).isEqualTo(3);
	}

	@Test
	void eventUnderASecondIdOrTheWrongKeyOrWithoutIdIsInconsistent() {
		this.read.add(new Delivery("a", "a1", "id-1", 0, 0));
		this.read.add(new Delivery("a", "a1", "id-2", 0, 1));
		this.read.add(new Delivery("b", "a2", "id-3", 0, 2));
		this.read.add(new Delivery("a", "a3", "", 0, 3));
		Examination examination = DeliveryCheck.examine(Map.of("a", List.of("a1", "a2", "a3")), this.read);
		assertThat(examination.inconsistencies()).extracting(Inconsistency::reason)
			.containsExactly("delivered before under id id-1", "key b, committed under a", "no id");
		assertThat(examination.firstInconsistency()).isEqualTo("a1 at partition 0 offset 1: delivered before under id id-1");
		assertThat(examination.duplicates()).isEmpty();
		assertThat(examination.missing()).isZero();
	}

	@Test
	void eventCommittedUnderTwoKeysIsRefusedNamingBoth() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DeliveryCheck.examine(Map.of("a", List.of("x"), "b", List.of("x")), List.of()))
			.withMessageContaining("x committed twice")
			.withMessageContaining("name every event once");
	}

	/** Records on partition 0 in the given order: pairs of key and event (the event is its own id). */
	private void read(String... keysAndEvents) {
		for (int i = 0; i < keysAndEvents.length; i += 2) {
			this.read.add(Delivery.ofId(keysAndEvents[i], keysAndEvents[i + 1], 0, this.read.size()));
		}
	}

}
