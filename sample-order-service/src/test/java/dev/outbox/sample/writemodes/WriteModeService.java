package dev.outbox.sample.writemodes;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A service that is nothing but the starter on the sample's database: it publishes through
 * {@code Outbox} in whatever {@code outbox.write-mode} it is started with. In a package of its own,
 * so that auto-configuration finds none of the sample's entities, repositories or listeners.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class WriteModeService {

}
