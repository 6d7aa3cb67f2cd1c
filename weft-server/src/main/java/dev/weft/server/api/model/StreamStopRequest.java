package dev.weft.server.api.model;

@Doc("Stop a stream: its relay (on any node) is cancelled, then it ends with `abort`. A stream that has ended "
        + "already is left as it is.")
public record StreamStopRequest(
        @Doc(value = "Stream id.", required = true) String id,
        @Doc("The reason the `abort` part carries; `stopped` by default.") String reason) {

    public StreamStopRequest {
        id = id == null ? "" : id;
    }

    public StreamStopRequest withId(String v) {
        return new StreamStopRequest(v, reason);
    }
}
