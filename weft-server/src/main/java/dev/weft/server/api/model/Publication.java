package dev.weft.server.api.model;

import java.util.Map;

@Doc("A publication from a channel's history.")
public record Publication(
        @Doc("Published data, when it is JSON.") JsonPayload data,
        @Doc("Published binary data that is not JSON, base64-encoded (a Weft addition: Centrifugo would embed "
                + "the raw bytes).") String b64data,
        @Doc("Who published it (absent for server-side publications).") ClientInfo info,
        @Doc("Offset in the stream.") long offset,
        @Doc("Publication tags.") Map<String, String> tags) {
}
