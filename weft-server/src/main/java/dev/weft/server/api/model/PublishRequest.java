package dev.weft.server.api.model;

import java.util.Map;

@Doc("Publish data into a channel.")
public record PublishRequest(
        @Doc(value = "Channel to publish into.", required = true) String channel,
        @Doc("JSON data to publish (this or `b64data` is required).") JsonPayload data,
        @Doc("Binary data to publish, base64-encoded.") String b64data,
        @Doc("Do not add this publication to the channel's history.") boolean skipHistory,
        @Doc("Tags delivered with the publication.") Map<String, String> tags,
        @Doc("Drops a repeated publish with the same key on this channel for 5 minutes; the repeat returns "
                + "the first publish's result.") String idempotencyKey,
        @Doc("Send subscribers that negotiated Fossil delta compression a delta against the data they got before "
                + "(where smaller); without it (and without the namespace's `delta_publish`) they get the data "
                + "whole.") boolean delta,
        @Doc("Document version (Centrifugo ≥ 6.2). Not supported: a value > 0 is refused with 107.") long version,
        @Doc("Epoch of `version`. Not supported: refused with 107 when set.") String versionEpoch) {

    public PublishRequest {
        channel = channel == null ? "" : channel;
        tags = tags == null ? Map.of() : tags;
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
        versionEpoch = versionEpoch == null ? "" : versionEpoch;
    }
}
