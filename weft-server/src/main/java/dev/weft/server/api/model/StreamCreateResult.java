package dev.weft.server.api.model;

@Doc("The stream created.")
public record StreamCreateResult(
        @Doc("Stream id, `<name>@<channel>`: readers use `/ai/streams/<id>`.") String id,
        @Doc("Channel of its parts.") String channel,
        @Doc("The producer's generation; give it to later calls to be refused once another producer took over.")
        long generation) {
}
