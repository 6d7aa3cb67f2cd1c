package dev.weft.server.http;

import dev.weft.core.CommandFailedException;
import dev.weft.core.broker.PublishOutcome;

import java.util.Map;

/**
 * The engine's server-side publish as the HTTP API sees it ({@code Node::publish} in production). Called on a
 * virtual thread, so it may block.
 */
@FunctionalInterface
public interface Publisher {

    /** @throws CommandFailedException with the error to return to the API caller */
    PublishOutcome publish(String channel, byte[] data, String idempotencyKey, Map<String, String> tags);
}
