/**
 * The servers and processes the scenarios run on and break: a PostgreSQL cluster and a Kafka
 * broker of the suite's own, TCP proxies between the relay and each, and relays run from their
 * executable jar.
 */
@NullMarked
package dev.outbox.failuresuite.rig;

import org.jspecify.annotations.NullMarked;
