package dev.outbox.relay.source.pgoutput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.outbox.relay.source.pgoutput.SkippedMessage.SkipReason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Decoding of logical decoding Messages ({@code 'M'}): only the decoder's prefix is kept, with its
 * flag, LSN and content bytes; any other prefix is skipped.
 */
class LogicalMessageDecodingUnitTests {

	private static final String PREFIX = "outbox:public.outbox_event";

	private static final long LSN = 0x1_6B37_4800L;

	private static final byte[] CONTENT = "{\"id\":\"1\",\"payload\":\"ü\"}".getBytes(StandardCharsets.UTF_8);

	private final PgOutputDecoder decoder = new PgOutputDecoder(ChangeFilter.insertsInto("public", "outbox_event"),
			PREFIX);

	@Test
	void transactionalMessageUnderThePrefixCarriesItsFlagLsnPrefixAndContent() {
		PgOutputMessage message = this.decoder.decode(PgOutputBytes.logicalMessage(true, 0x2_0000_0020L, PREFIX, CONTENT),
				LSN);

		assertThat(message).isInstanceOfSatisfying(LogicalMessage.class, (logical) -> {
			assertThat(logical.transactional()).isTrue();
			assertThat(logical.lsn()).isEqualTo(0x2_0000_0020L);
			assertThat(logical.prefix()).isEqualTo(PREFIX);
			assertThat(logical.content()).isEqualTo(CONTENT);
		});
	}

	@Test
	void nonTransactionalMessageUnderThePrefixIsDecodedWithTheFlagCleared() {
		PgOutputMessage message = this.decoder.decode(PgOutputBytes.logicalMessage(false, LSN, PREFIX, CONTENT), LSN);

		assertThat(message).isInstanceOfSatisfying(LogicalMessage.class,
				(logical) -> assertThat(logical.transactional()).isFalse());
	}

	@Test
	void binaryContentOfTheByteaOverloadIsKeptByteForByte() {
		byte[] binary = { 0, (byte) 0xff, 0x7b, 0, 0x0a };

		PgOutputMessage message = this.decoder.decode(PgOutputBytes.logicalMessage(true, LSN, PREFIX, binary), LSN);

		assertThat(message).isInstanceOfSatisfying(LogicalMessage.class,
				(logical) -> assertThat(logical.content()).isEqualTo(binary));
	}

	@Test
	void emptyContentIsDecodedAsEmpty() {
		PgOutputMessage message = this.decoder.decode(PgOutputBytes.logicalMessage(true, LSN, PREFIX, new byte[0]), LSN);

		assertThat(message).isInstanceOfSatisfying(LogicalMessage.class,
				(logical) -> assertThat(logical.content()).isEmpty());
	}

	@Test
	void messagesUnderAnotherPrefixAreSkipped() {
		for (String other : new String[] { "outbox:public.other_outbox", "outbox:public.outbox_event2",
				"outbox:public.outbox_even", "", "wal2json" }) {
			PgOutputMessage message = this.decoder.decode(PgOutputBytes.logicalMessage(true, LSN, other, CONTENT), LSN);

			assertThat(message).as(other).isEqualTo(new SkippedMessage('M', SkipReason.NOT_NEEDED));
		}
	}

	@Test
	void decoderWithoutAPrefixSkipsEveryMessage() {
		PgOutputDecoder tableOnly = new PgOutputDecoder(ChangeFilter.insertsInto("public", "outbox_event"));

		PgOutputMessage message = tableOnly.decode(PgOutputBytes.logicalMessage(true, LSN, PREFIX, CONTENT), LSN);

		assertThat(message).isEqualTo(new SkippedMessage('M', SkipReason.NOT_NEEDED));
	}

	@Test
	void theBufferIsLeftUnchangedAndTheContentIsACopy() {
		ByteBuffer payload = PgOutputBytes.logicalMessage(true, LSN, PREFIX, CONTENT);
		int position = payload.position();

		LogicalMessage message = (LogicalMessage) this.decoder.decode(payload, LSN);
		payload.put(payload.limit() - 1, (byte) 'x');

		assertThat(payload.position()).isEqualTo(position);
		assertThat(message.content()).isEqualTo(CONTENT);
	}

	@Test
	void contentLengthBeyondThePayloadIsAnErrorUnderAnyPrefix() {
		for (String prefix : new String[] { PREFIX, "other" }) {
			ByteBuffer payload = PgOutputBytes.message('M').int8(1).int64(LSN).string(prefix).int32(100)
				.bytes(CONTENT).buffer();

			assertThatExceptionOfType(PgOutputDecodingException.class).as(prefix)
				.isThrownBy(() -> this.decoder.decode(payload, LSN))
				.withMessageContaining("content length 100 exceeds");
		}
	}

	@Test
	void prefixWithoutTerminatorIsAnError() {
		ByteBuffer payload = PgOutputBytes.message('M').int8(1).int64(LSN).bytes(PREFIX.getBytes(StandardCharsets.UTF_8))
			.buffer();

		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> this.decoder.decode(payload, LSN))
			.withMessageContaining("prefix has no terminating NUL byte");
	}

}
