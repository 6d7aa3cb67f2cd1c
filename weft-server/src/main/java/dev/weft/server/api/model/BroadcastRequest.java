package dev.weft.server.api.model;

import java.util.List;
import java.util.Map;

@Doc("Publish the same data into many channels.")
public record BroadcastRequest(
        @Doc(value = "Channels to publish into.", required = true) List<String> channels,
        @Doc("JSON data to publish (this or `b64data` is required).") JsonPayload data,
        @Doc("Binary data to publish, base64-encoded.") String b64data,
        @Doc("Do not add the publications to the channels' history.") boolean skipHistory,
        @Doc("Tags delivered with each publication.") Map<String, String> tags,
        @Doc("Idempotency key, applied per channel.") String idempotencyKey,
        @Doc("Publish for delta compression (see publish).") boolean delta,
        @Doc("Document version. Not supported: a value > 0 is refused with 107.") long version,
        @Doc("Epoch of `version`. Not supported: refused with 107 when set.") String versionEpoch) {

    public BroadcastRequest {
        channels = channels == null ? List.of() : channels;
        tags = tags == null ? Map.of() : tags;
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
        versionEpoch = versionEpoch == null ? "" : versionEpoch;
    }
}
