package dev.weft.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Builders for the few kinds of response the server sends. */
public final class HttpResponses {

    private HttpResponses() {
    }

    public static FullHttpResponse json(HttpResponseStatus status, byte[] body) {
        return withBody(status, body, HttpHeaderValues.APPLICATION_JSON);
    }

    /** A plain-text response whose body is the status line's reason phrase, e.g. "Unauthorized". */
    public static FullHttpResponse status(HttpResponseStatus status) {
        return withBody(status, (status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8),
                HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");
    }

    /**
     * A JSON error for clients that parse bodies: {@code {"error":{"status":400,"message":"…"}}}. The message
     * is about the client's own request; never put internal details in it.
     */
    public static FullHttpResponse jsonError(HttpResponseStatus status, String message) {
        String json = "{\"error\":{\"status\":" + status.code() + ",\"message\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}}";
        return json(status, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without body, e.g. 204. */
    public static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        if (status.code() != HttpResponseStatus.NO_CONTENT.code()) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        return response;
    }

    /** A response with {@code body} of {@code contentType}. */
    public static FullHttpResponse withBody(HttpResponseStatus status, byte[] body, CharSequence contentType) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }
}
