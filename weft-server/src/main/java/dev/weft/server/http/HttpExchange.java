package dev.weft.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its (single) response.
 *
 * <p>Thread-safety: {@link #request()} is only valid on the event loop while {@link HttpEndpoint#handle}
 * runs (the router releases it afterwards); copy what an asynchronous endpoint needs. {@link #respond} may be
 * called from any thread, once; later calls are ignored. {@link #startStream} (event loop, during
 * {@link HttpEndpoint#handle}) instead hands the response over to the endpoint, which then writes it itself.
 */
public final class HttpExchange {
    private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final HttpMethod method;
    private final QueryStringDecoder uri;
    private final String undecodableUri;
    private final String rawUri;
    private final boolean keepAlive;
    private final Runnable onResponded;
    private final AtomicBoolean responded = new AtomicBoolean();
    private boolean streaming;

    HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request, Runnable onResponded) {
        this.ctx = ctx;
        this.request = request;
        this.method = request.method();
        this.rawUri = request.uri();
        this.uri = new QueryStringDecoder(rawUri);
        this.undecodableUri = decodeNow(uri);
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.onResponded = onResponded;
    }

    /**
     * Netty decodes the path and query lazily and throws {@link IllegalArgumentException} where their
     * percent-encoding is broken ({@code %zz}, a trailing {@code %}) — inside whichever endpoint reads them
     * first. Decoding both up front turns that into one answer for every endpoint (see {@link #undecodableUri}).
     */
    private static String decodeNow(QueryStringDecoder uri) {
        // Netty's message quotes the component, which may be a token: say only where it is.
        try {
            uri.path();
        } catch (IllegalArgumentException e) {
            return "broken percent-encoding in the path";
        }
        try {
            uri.parameters();
            return null;
        } catch (IllegalArgumentException e) {
            return "broken percent-encoding in the query";
        }
    }

    /**
     * Why the path or query does not decode, or null when it does; the router refuses such a request with 400
     * before any endpoint sees it, so {@link #path} and the query accessors never throw in an endpoint.
     */
    String undecodableUri() {
        return undecodableUri;
    }

    public ChannelHandlerContext context() {
        return ctx;
    }

    public HttpMethod method() {
        return method;
    }

    public FullHttpRequest request() {
        return request;
    }

    /** The decoded path, without query. */
    public String path() {
        return uri.path();
    }

    /** The request URI as sent, with credentials in the query masked ({@link RedactedUri}): the one to log. */
    public String redactedUri() {
        return RedactedUri.of(rawUri);
    }

    public Map<String, List<String>> queryParameters() {
        return uri.parameters();
    }

    /** The first value of a query parameter, or null. */
    public String queryParameter(String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** Peer address as {@code host:port} for logs. */
    public String remoteAddress() {
        return format(ctx.channel().remoteAddress());
    }

    boolean responded() {
        return responded.get();
    }

    /** True once the endpoint took the response over with {@link #startStream}. Event loop only. */
    boolean streaming() {
        return streaming;
    }

    /** True when the request came over HTTP/2 (one stream of a multiplexed connection). */
    public boolean isHttp2() {
        return ctx.channel() instanceof Http2StreamChannel;
    }

    /**
     * Takes the response over: the endpoint writes an {@code HttpResponse} head, {@code HttpContent} chunks and
     * a final {@code LastHttpContent} to the returned channel itself, from any thread (see
     * {@code dev.weft.server.stream.ChunkedStreamTransport}), and closes the channel when the stream ends —
     * for HTTP/2 that ends the stream only. The router keeps reading, so a client that goes away is noticed at
     * once (the channel closes); it dispatches nothing more on this connection. {@link #respond} is ignored
     * afterwards. Call on the event loop, from {@link HttpEndpoint#handle}.
     *
     * @return the channel of this exchange: the connection for HTTP/1.1, the stream for HTTP/2
     */
    public Channel startStream() {
        if (!ctx.executor().inEventLoop() || !responded.compareAndSet(false, true)) {
            throw new IllegalStateException("startStream must be called once, from handle(), before any response");
        }
        streaming = true;
        return ctx.channel();
    }

    /** Sends the response (keep-alive as the request asked), from any thread. */
    public void respond(FullHttpResponse response) {
        respond(response, false);
    }

    /**
     * Sends the response from any thread; with {@code close}, closes the connection after it whatever the
     * request asked (a refused client gets no connection to try again on).
     */
    public void respond(FullHttpResponse response, boolean close) {
        if (!responded.compareAndSet(false, true)) {
            response.release();
            return;
        }
        boolean keep = keepAlive && !close;
        if (ctx.executor().inEventLoop()) {
            write(response, keep);
        } else {
            ctx.executor().execute(() -> write(response, keep));
        }
    }

    /** Answers with {@code status} and logs why, with the peer's address. */
    public void refuse(HttpResponseStatus status, String reason) {
        log.info("refused {} {} from {}: {} ({})", method, uri.path(), remoteAddress(), status.code(),
                reason);
        respond(HttpResponses.status(status));
    }

    /**
     * Answers with {@code status} and closes the connection after it, without logging: for requests the
     * codec could not read, after which the bytes on the connection can no longer be trusted to start a
     * request (a swallowed or smuggled follow-up). The caller logs, rate-limited.
     */
    void refuseAndClose(HttpResponseStatus status) {
        respond(HttpResponses.status(status), true);
    }

    /** Answers with {@code status} and a JSON error body ({@link HttpResponses#jsonError}) and logs why. */
    public void refuseJson(HttpResponseStatus status, String reason) {
        refuse(HttpResponses.jsonError(status, reason), reason);
    }

    /** Sends a refusal the caller built (e.g. with extra headers) and logs its status and why. */
    public void refuse(FullHttpResponse response, String reason) {
        log.info("refused {} {} from {}: {} ({})", method, uri.path(), remoteAddress(), response.status().code(),
                reason);
        respond(response);
    }

    private void write(FullHttpResponse response, boolean keep) {
        HttpUtil.setKeepAlive(response, keep);
        var future = ctx.writeAndFlush(response);
        if (!keep) {
            LingeringClose.after(future);
        }
        onResponded.run();
    }

    /** {@code 127.0.0.1:51234}, {@code [::1]:51234}. */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
