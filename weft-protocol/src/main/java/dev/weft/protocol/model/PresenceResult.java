package dev.weft.protocol.model;

import java.util.Map;

/** Presence of a channel: client id → info. */
public record PresenceResult(Map<String, ClientInfo> presence) implements Result {
    public PresenceResult {
        presence = presence == null ? Map.of() : Map.copyOf(presence);
    }
}
