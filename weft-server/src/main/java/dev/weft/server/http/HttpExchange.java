package dev.weft.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
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
 * called from any thread, once; later calls are ignored.
 */
public final class HttpExchange {
    private static final Logger log = LoggerFactory.getLogger(HttpExchange.class);

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final HttpMethod method;
    private final QueryStringDecoder uri;
    private final String rawUri;
    private final boolean keepAlive;
    private final Runnable onResponded;
    private final AtomicBoolean responded = new AtomicBoolean();

    HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request, Runnable onResponded) {
        this.ctx = ctx;
        this.request = request;
        this.method = request.method();
        this.rawUri = request.uri();
        this.uri = new QueryStringDecoder(rawUri);
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.onResponded = onResponded;
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

    /** Sends the response (keep-alive as the request asked), from any thread. */
    public void respond(FullHttpResponse response) {
        if (!responded.compareAndSet(false, true)) {
            response.release();
            return;
        }
        if (ctx.executor().inEventLoop()) {
            write(response);
        } else {
            ctx.executor().execute(() -> write(response));
        }
    }

    /** Answers with {@code status} and logs why, with the peer's address. */
    public void refuse(HttpResponseStatus status, String reason) {
        log.info("refused {} {} from {}: {} ({})", method, uri.path(), remoteAddress(), status.code(),
                reason);
        respond(HttpResponses.status(status));
    }

    private void write(FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
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
