package dev.weft.server.api;

import dev.weft.server.api.model.ApiError;

/**
 * A server API call that cannot be carried out, with the error to answer it with (in the body, HTTP 200).
 * Expected outcome, not a bug: no stack trace.
 */
public final class ApiException extends RuntimeException {
    private final transient ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** {@code error} with ": detail" appended to its message. */
    public ApiException(ApiError error, String detail) {
        this(error.withDetail(detail));
    }

    public ApiError error() {
        return error;
    }
}
