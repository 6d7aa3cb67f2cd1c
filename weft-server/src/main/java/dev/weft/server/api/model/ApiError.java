package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A server API error, {@code {"code":107,"message":"bad request"}}. The codes and messages are Centrifugo's
 * server API ones; a message may carry ": detail" when Weft refuses something Centrifugo would accept.
 */
@Doc("Error of an API call; the HTTP status stays 200 unless the transport error mode is on.")
public record ApiError(
        @Doc("Error code: 100 internal, 102 unknown channel, 104 not found, 106 limit exceeded, 107 bad request, "
                + "108 not available, 112 unrecoverable position.")
        @JsonInclude(JsonInclude.Include.ALWAYS) int code,
        @Doc("Error message.") @JsonInclude(JsonInclude.Include.ALWAYS) String message) {

    public static final ApiError INTERNAL = new ApiError(100, "internal server error");
    public static final ApiError UNKNOWN_CHANNEL = new ApiError(102, "unknown channel");
    public static final ApiError NOT_FOUND = new ApiError(104, "not found");
    public static final ApiError BAD_REQUEST = new ApiError(107, "bad request");
    public static final ApiError NOT_AVAILABLE = new ApiError(108, "not available");
    public static final ApiError UNRECOVERABLE_POSITION = new ApiError(112, "unrecoverable position");

    /** This error with {@code ": detail"} appended to its message. */
    public ApiError withDetail(String detail) {
        return new ApiError(code, message + ": " + detail);
    }
}
