package dev.weft.server.sse;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.http.HttpResponses;
import dev.weft.server.stream.DisconnectResponses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.util.function.Function;

/**
 * What one SSE request gets when its stream ends before it started (the stream's refusal function):
 *
 * <ul>
 *   <li>a check of the first frame failed ({@link #badRequest}): 400 with a JSON error;</li>
 *   <li>the engine refused the connect with a code the client should not retry as it is (bad token,
 *       forbidden channel, …) or with 3005 (expired token: retrying with the same URL would loop; the page
 *       needs a new token first): the status and {@code {"disconnect":{…}}} body of
 *       {@link DisconnectResponses} (401 for both token cases);</li>
 *   <li>another disconnect after which the client should come back (3001 shutdown, …): {@code 200} with a
 *       short event stream, the {@code retry:} hint and {@code event: disconnect} — browsers never retry
 *       after a non-200 answer, so a 503 would end the page's EventSource for good.</li>
 * </ul>
 *
 * The CORS headers of the request go on each, so a page can read it.
 *
 * <p>Thread-safe: {@link #badRequest} and {@link #apply} may run on different threads.
 */
final class SseRefusals implements Function<Disconnect, FullHttpResponse> {
    private final HttpHeaders cors;
    private final long retryMillis;
    private volatile String badRequest;

    SseRefusals(HttpHeaders cors, long retryMillis) {
        this.cors = cors;
        this.retryMillis = retryMillis;
    }

    /** Makes the refusal a 400 with {@code reason}, whatever disconnect closes the stream. */
    void badRequest(String reason) {
        this.badRequest = reason;
    }

    @Override
    public FullHttpResponse apply(Disconnect disconnect) {
        String reason = badRequest;
        FullHttpResponse response;
        if (reason != null) {
            response = HttpResponses.jsonError(HttpResponseStatus.BAD_REQUEST, reason);
        } else if (disconnect.reconnect() && disconnect.code() != DisconnectCode.EXPIRED.code()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(SseEventFormat.retry(retryMillis));
            body.writeBytes(SseEventFormat.disconnect(disconnect));
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body.toByteArray()));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.size());
        } else {
            response = DisconnectResponses.of(disconnect);
        }
        response.headers().add(cors);
        return response;
    }
}
