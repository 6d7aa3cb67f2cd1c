package dev.weft.server.api.model;

@Doc("End a stream with `finish`; a stream that has ended already is left as it is.")
public record StreamFinishRequest(
        @Doc(value = "Stream id.", required = true) String id,
        @Doc("Why it finished: stop, length, content-filter, tool-calls, error or other.") String finishReason,
        @Doc("The producer's generation; 0 = do not check.") long generation) {

    public StreamFinishRequest {
        id = id == null ? "" : id;
    }

    public StreamFinishRequest withId(String v) {
        return new StreamFinishRequest(v, finishReason, generation);
    }
}
