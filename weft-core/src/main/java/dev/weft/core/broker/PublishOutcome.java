package dev.weft.core.broker;

import dev.weft.protocol.model.StreamPosition;

/**
 * Result of {@link Broker#publish}: the publication's position (offset 0 without history) and whether it was
 * suppressed as a repeat of an earlier publish with the same idempotency key.
 */
public record PublishOutcome(StreamPosition position, boolean suppressed) {
}
