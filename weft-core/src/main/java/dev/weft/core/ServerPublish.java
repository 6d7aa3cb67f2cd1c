package dev.weft.core;

import java.util.Map;

/**
 * How the server publishes on its own initiative (server API, outbox, …): on top of the channel's namespace
 * options, the publication's tags, an idempotency key, and whether to skip the channel's history.
 *
 * @param tags           tags the publication carries; null = none
 * @param idempotencyKey a repeated publish with the same key (while remembered) is not published again;
 *                       null or "" = none
 * @param skipHistory    deliver only, keep nothing in the channel's history (its position still applies)
 * @param delta          subscribers with delta compression get it as a delta (the API's {@code delta}; the
 *                       namespace's {@code delta_publish} asks for it too)
 */
public record ServerPublish(Map<String, String> tags, String idempotencyKey, boolean skipHistory, boolean delta) {
    /** The channel's options as they are, no tags, no idempotency key. */
    public static final ServerPublish DEFAULT = new ServerPublish(Map.of(), "", false, false);

    /** Not published for delta compression (unless the namespace's {@code delta_publish} says so). */
    public ServerPublish(Map<String, String> tags, String idempotencyKey, boolean skipHistory) {
        this(tags, idempotencyKey, skipHistory, false);
    }

    public ServerPublish {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
    }
}
