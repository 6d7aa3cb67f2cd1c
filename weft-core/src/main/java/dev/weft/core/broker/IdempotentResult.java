package dev.weft.core.broker;

import dev.weft.protocol.model.StreamPosition;

import java.util.Map;

/**
 * What a publish with an idempotency key answered, kept until {@code expiresAt} (clock millis) so a retry gets
 * the same answer instead of publishing twice.
 */
public record IdempotentResult(StreamPosition position, long expiresAt) {

    /** The outcome to repeat for {@code key} at {@code now}: null when {@code key} is empty or nothing live is kept. */
    public static PublishOutcome replay(Map<String, IdempotentResult> results, String key, long now) {
        if (key.isEmpty()) {
            return null;
        }
        IdempotentResult previous = results.get(key);
        return previous != null && previous.expiresAt() > now ? new PublishOutcome(previous.position(), true) : null;
    }
}
