package dev.weft.server.api.model;

@Doc("Append to an open stream: text (a text delta; the stream opens and closes its text part itself) or one "
        + "AI SDK UI message stream part as it is.")
public record StreamAppendRequest(
        @Doc(value = "Stream id.", required = true) String id,
        @Doc("Text to append.") String text,
        @Doc("One UI message stream part (`{\"type\":\"reasoning-delta\",…}`); not `start`, `finish`, `error` "
                + "or `abort`.") JsonPayload part,
        @Doc("The producer's generation; 0 = do not check.") long generation) {

    public StreamAppendRequest {
        id = id == null ? "" : id;
    }

    public StreamAppendRequest withId(String v) {
        return new StreamAppendRequest(v, text, part, generation);
    }
}
