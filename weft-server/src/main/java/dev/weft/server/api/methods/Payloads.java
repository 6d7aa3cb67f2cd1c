package dev.weft.server.api.methods;

import com.fasterxml.jackson.core.JsonParser;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiJson;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.JsonPayload;

import java.io.IOException;
import java.util.Base64;

/**
 * Payload fields as Centrifugo reads them: a JSON value ({@code data}, {@code info}) kept as its bytes or, for
 * binary, the same base64-encoded ({@code b64data}, {@code b64info}), which wins when both are given; and back,
 * bytes to a JSON value written as they are.
 */
final class Payloads {
    private Payloads() {
    }

    /** The payload's bytes, or null when neither form is present. */
    static byte[] read(JsonPayload json, String b64, String b64Field) {
        if (b64 != null && !b64.isEmpty()) {
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ApiError.BAD_REQUEST, b64Field + " is not base64");
            }
        }
        return json == null ? null : json.bytes();
    }

    /** Bytes that hold one JSON value, unchanged; null for null, empty or non-JSON bytes. */
    static JsonPayload json(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try (JsonParser parser = ApiJson.mapper().createParser(bytes)) {
            if (parser.nextToken() == null) {
                return null;
            }
            parser.skipChildren();
            return parser.nextToken() == null ? new JsonPayload(bytes) : null;
        } catch (IOException e) {
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
