/**
 * Small pieces the starter's features share.
 */
@NullMarked
package dev.outbox.starter.support;

import org.jspecify.annotations.NullMarked;
