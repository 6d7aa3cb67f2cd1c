package dev.weft.server.api.model;

@Doc("Disconnect code and reason sent to the client.")
public record Disconnect(
        @Doc(value = "Code, 3000–4999: below 3500 (and 4000–4499) the SDK reconnects, from 3500 (and 4500) it "
                + "does not.", required = true) int code,
        @Doc(value = "Reason, at most 123 bytes of UTF-8 (it travels in the WebSocket close frame).",
                required = true) String reason) {

    public Disconnect {
        reason = reason == null ? "" : reason;
    }
}
