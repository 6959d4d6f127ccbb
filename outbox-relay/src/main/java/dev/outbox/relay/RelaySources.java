package dev.outbox.relay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * The sources of one relay process, in configuration order. With the flat settings there is one;
 * its health is the component itself. With {@code outbox.relay.sources} the health components
 * are composites with one child per source, named by the source's name.
 */
final class RelaySources implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RelaySources.class);

	private final List<RelaySource> sources;

	RelaySources(List<RelaySource> sources) {
		this.sources = List.copyOf(sources);
	}

	List<RelaySource> all() {
		return this.sources;
	}

	/** @return the {@code outboxRelay} component */
	HealthContributor health() {
		return contributor(RelaySource::health);
	}

	/** @return the {@code outboxRelayReadiness} component */
	HealthContributor readiness() {
		return contributor(RelaySource::readiness);
	}

	private HealthContributor contributor(Function<RelaySource, HealthContributor> component) {
		if (this.sources.size() == 1 && this.sources.get(0).definition().isFlat()) {
			return component.apply(this.sources.get(0));
		}
		Map<String, HealthContributor> children = new LinkedHashMap<>();
		this.sources.forEach((source) -> children.put(source.name(), component.apply(source)));
		return CompositeHealthContributor.fromMap(children);
	}

	@Override
	public void close() {
		for (RelaySource source : this.sources) {
			for (AutoCloseable resource : source.resources()) {
				try {
					resource.close();
				}
				catch (Exception ex) {
					logger.warn("Closing source " + source.name() + ": " + ex);
				}
			}
		}
	}

}
