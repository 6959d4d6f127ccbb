package dev.outbox.starter.health;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Keeps the {@code outbox} indicator a good guest of its host service's health: the slot it
 * reports belongs to the relay, so a missing or full slot must not take the service out of a
 * load balancer or restart it.
 * <ul>
 * <li>The service's overall status ({@code /actuator/health}) leaves the indicator out, unless
 * {@code outbox.health.affects-overall-status=true}.</li>
 * <li>The {@code liveness} and {@code readiness} groups never include it, even when configured
 * with {@code include=*}.</li>
 * <li>It has a group of its own, {@value #GROUP} ({@code /actuator/health/outbox-slot}), for
 * dashboards and alerts, unless the application defines a group of that name itself.</li>
 * </ul>
 * Other groups the application defines are left as configured.
 */
public final class OutboxHealthGroups implements HealthEndpointGroupsPostProcessor {

	/** The indicator's contributor name (its bean is {@code outboxHealthIndicator}). */
	public static final String CONTRIBUTOR = "outbox";

	/** The name of the indicator's own group. */
	public static final String GROUP = "outbox-slot";

	private static final Set<String> PROBES = Set.of("liveness", "readiness");

	private final boolean affectsOverallStatus;

	/**
	 * @param affectsOverallStatus whether the overall status includes the indicator
	 * ({@code outbox.health.affects-overall-status})
	 */
	public OutboxHealthGroups(boolean affectsOverallStatus) {
		this.affectsOverallStatus = affectsOverallStatus;
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		return new Groups(groups, this.affectsOverallStatus);
	}

	private static boolean isIndicator(String name) {
		return name.equals(CONTRIBUTOR) || name.startsWith(CONTRIBUTOR + "/");
	}

	private record Groups(HealthEndpointGroups delegate, boolean affectsOverallStatus) implements HealthEndpointGroups {

		@Override
		public HealthEndpointGroup getPrimary() {
			HealthEndpointGroup primary = this.delegate.getPrimary();
			return this.affectsOverallStatus ? primary : Group.without(primary);
		}

		@Override
		public Set<String> getNames() {
			Set<String> names = new LinkedHashSet<>(this.delegate.getNames());
			names.add(GROUP);
			return names;
		}

		@Override
		public @Nullable HealthEndpointGroup get(String name) {
			HealthEndpointGroup group = this.delegate.get(name);
			if (group == null) {
				return GROUP.equals(name) ? new Group(this.delegate.getPrimary(), OutboxHealthGroups::isIndicator) : null;
			}
			return PROBES.contains(name) ? Group.without(group) : group;
		}

	}

	/**
	 * A group that shows, aggregates and answers like {@code delegate}, with the members
	 * {@code members} accepts.
	 */
	private record Group(HealthEndpointGroup delegate, Predicate<String> members) implements HealthEndpointGroup {

		/** The group as configured, without the indicator. */
		static Group without(HealthEndpointGroup group) {
			return new Group(group, (name) -> !isIndicator(name) && group.isMember(name));
		}

		@Override
		public boolean isMember(String name) {
			return this.members.test(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.delegate.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.delegate.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.delegate.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.delegate.getHttpCodeStatusMapper();
		}

		@Override
		public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
			return this.delegate.getAdditionalPath();
		}

	}

}
