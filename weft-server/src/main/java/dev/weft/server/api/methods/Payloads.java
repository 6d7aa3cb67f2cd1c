package dev.weft.server.api.methods;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiJson;
import dev.weft.server.api.model.ApiError;

import java.util.Base64;

/**
 * Payload fields as Centrifugo reads them: a JSON value ({@code data}, {@code info}) or, for binary, the same
 * base64-encoded ({@code b64data}, {@code b64info}), which wins when both are given; and back, bytes to JSON.
 */
final class Payloads {
    private Payloads() {
    }

    /** The payload's bytes, or null when neither form is present. */
    static byte[] read(JsonNode json, String b64, String b64Field) {
        if (b64 != null && !b64.isEmpty()) {
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ApiError.BAD_REQUEST, b64Field + " is not base64");
            }
        }
        if (json == null || json.isMissingNode()) {
            return null;
        }
        try {
            return ApiJson.mapper().writeValueAsBytes(json);
        } catch (JacksonException e) {
            throw new IllegalStateException("a parsed JSON tree always serializes", e);
        }
    }

    /** Bytes that hold JSON as a tree; null for null, empty or non-JSON bytes (see {@link #isJson}). */
    static JsonNode json(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return ApiJson.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Refuses a field Weft cannot honour yet, instead of ignoring it. */
    static void unsupported(boolean present, String what) {
        if (present) {
            throw new ApiException(ApiError.BAD_REQUEST, what + " is not supported by Weft");
        }
    }
}
