package dev.weft.server.api.model;

@Doc("End a stream with `error`; a stream that has ended already is left as it is.")
public record StreamErrorRequest(
        @Doc(value = "Stream id.", required = true) String id,
        @Doc("What readers are told.") String errorText,
        @Doc("The producer's generation; 0 = do not check.") long generation) {

    public StreamErrorRequest {
        id = id == null ? "" : id;
    }

    public StreamErrorRequest withId(String v) {
        return new StreamErrorRequest(v, errorText, generation);
    }
}
