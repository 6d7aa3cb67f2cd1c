package dev.weft.server.api.model;

@Doc("Outcome of one publish: `error` or `result`.")
public record PublishResponse(@Doc("Error, if the publish failed.") ApiError error,
                              @Doc("Result, if it succeeded.") PublishResult result) {
}
