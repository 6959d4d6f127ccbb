/**
 * Rules of the outbox contract that both sides apply: the starter when it writes an event, the
 * relay when it maps one to a Kafka record; both when they parse a table setting
 * ({@link dev.outbox.contract.TableName}) and judge the relay's slot
 * ({@link dev.outbox.contract.SlotHealthRule}). Only rules live here (no I/O, no Spring, no Kafka,
 * no JDBC), so that each is written once and both sides agree at its edges.
 */
@NullMarked
package dev.outbox.contract;

import org.jspecify.annotations.NullMarked;
