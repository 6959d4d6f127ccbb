/**
 * The REST API: orders and their status history, errors as RFC 9457 problem details.
 */
@NullMarked
package dev.outbox.sample.web;

import org.jspecify.annotations.NullMarked;
