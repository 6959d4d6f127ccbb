package dev.outbox.failuresuite.variant;

import java.util.function.UnaryOperator;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

import dev.outbox.relay.RelayProperties;
import dev.outbox.relay.pipeline.RelayMetrics;
import dev.outbox.relay.pipeline.RelayPipeline;
import dev.outbox.relay.pipeline.RelayStatus;
import dev.outbox.relay.routing.OutboxRecordMapper;
import dev.outbox.relay.sink.EventSink;
import dev.outbox.relay.sink.KafkaEventSink;
import dev.outbox.relay.slot.SlotHistory;
import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.relay.source.ReplicationSetup;

/**
 * How a lab variant changes one slot of the shipped relay: its one pipeline is replaced, before
 * anything starts it, by one wired from the same roles (source, routing, checkpoint, status) with
 * the shipped sink wrapped. The rig creates the topics, so the variant's pipeline creates none.
 */
final class VariantPipeline {

	private VariantPipeline() {
	}

	/**
	 * @param beans the relay application's beans
	 * @param sink wraps the shipped sink ({@link KafkaEventSink}) into the variant's
	 * @return a post-processor that swaps the relay's pipeline for the variant's
	 */
	static BeanPostProcessor withSink(ListableBeanFactory beans, UnaryOperator<EventSink> sink) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (!(bean instanceof RelayPipeline)) {
					return bean;
				}
				return new RelayPipeline(beans.getBean(RelayProperties.class), beans.getBean(ReplicationSetup.class),
						beans.getBean(ConnectionSettings.class), sink.apply(beans.getBean(KafkaEventSink.class)),
						beans.getBean(OutboxRecordMapper.class), null, beans.getBean(RelayStatus.class),
						beans.getBean(RelayMetrics.class), beans.getBean(SlotHistory.class));
			}

		};
	}

}
