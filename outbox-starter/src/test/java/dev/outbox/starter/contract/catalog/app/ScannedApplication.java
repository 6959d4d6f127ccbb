package dev.outbox.starter.contract.catalog.app;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/**
 * An application whose auto-configuration package is this one, as
 * {@code @SpringBootApplication} registers its own: the event type catalog scans it for
 * {@code OutboxDomainEvent} classes.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class ScannedApplication {

}
