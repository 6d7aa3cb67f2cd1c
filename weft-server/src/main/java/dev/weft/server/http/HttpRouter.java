package dev.weft.server.http;

import dev.weft.core.limits.LogThrottle;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sends each aggregated request to the endpoint mounted on its exact path, or else on the longest mount
 * ending in {@code /} that the path starts with ({@code /sse/} serves {@code /sse/news}; {@code /} itself is
 * exact: it serves only {@code /}): unknown path →
 * 404, method the endpoint does not serve → 405, undecodable request → 400 and the connection closed.
 *
 * <p>Responses leave in request order even when an endpoint answers later from another thread: while a
 * response is outstanding the router stops reading and holds any pipelined request back.
 *
 * <p>An endpoint that streams its response ({@link HttpExchange#startStream}) owns the connection until it
 * closes it: the router keeps reading (so a client that goes away closes the channel at once instead of at
 * the next failed write) and drops, with a log line, any request pipelined behind the stream.
 *
 * <p>Not sharable: one per connection; all state is event-loop only.
 */
public final class HttpRouter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    private static final LogThrottle MALFORMED_LOG = new LogThrottle(Duration.ofSeconds(1));

    private final Map<String, HttpEndpoint> endpoints;
    /** Mounts ending in {@code /}, longest first. */
    private final List<String> prefixes;
    private final ArrayDeque<FullHttpRequest> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean awaitingResponse;
    private boolean streaming;

    /**
     * @param endpoints by exact path, or by path prefix for keys ending in {@code /} (but {@code /}); shared between
     *                  connections, so it must not change
     */
    public HttpRouter(Map<String, HttpEndpoint> endpoints) {
        this.endpoints = endpoints;
        this.prefixes = endpoints.keySet().stream().filter(p -> p.endsWith("/") && !p.equals("/"))
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (streaming) {
            log.info("dropped {} {} from {}: pipelined behind a streaming response", request.method(),
                    request.uri(), HttpExchange.format(ctx.channel().remoteAddress()));
            request.release();
            return;
        }
        if (awaitingResponse) {
            held.add(request);
            return;
        }
        dispatch(request);
    }

    private void dispatch(FullHttpRequest request) {
        awaitingResponse = true;
        HttpExchange exchange = new HttpExchange(ctx, request, this::responded);
        try {
            route(exchange);
        } catch (RuntimeException e) {
            log.error("{} {} from {} failed", request.method(), exchange.path(), exchange.remoteAddress(), e);
            exchange.respond(HttpResponses.status(HttpResponseStatus.INTERNAL_SERVER_ERROR));
        } finally {
            ReferenceCountUtil.release(request);
        }
        if (exchange.streaming()) {
            streaming = true;
            releaseHeld();
            ctx.channel().config().setAutoRead(true);
        } else if (!exchange.responded() && !ctx.isRemoved()) {
            // The endpoint answers later: stop reading so requests cannot pile up meanwhile.
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void route(HttpExchange exchange) {
        FullHttpRequest request = exchange.request();
        if (request.decoderResult().isFailure()) {
            // The codec stops at the first bad byte and cannot find the next request's start again (Netty
            // discards the rest), and a half-understood message is how requests get smuggled: close.
            long suppressed = MALFORMED_LOG.admit();
            if (suppressed >= 0) {
                log.info("refused {} from {}: 400, connection closed (undecodable request: {}){}",
                        request.method(), exchange.remoteAddress(), request.decoderResult().cause().getMessage(),
                        suppressed > 0 ? " [" + suppressed + " similar refusals not logged]" : "");
            }
            exchange.refuseAndClose(HttpResponseStatus.BAD_REQUEST);
            return;
        }
        if (exchange.undecodableUri() != null) {
            // A client can send these as fast as it likes: logged like undecodable requests, at most once a second.
            long suppressed = MALFORMED_LOG.admit();
            if (suppressed >= 0) {
                log.info("refused {} {} from {}: 400 (undecodable URI: {}){}", request.method(),
                        exchange.redactedUri(), exchange.remoteAddress(), exchange.undecodableUri(),
                        suppressed > 0 ? " [" + suppressed + " similar refusals not logged]" : "");
            }
            exchange.respond(HttpResponses.status(HttpResponseStatus.BAD_REQUEST));
            return;
        }
        HttpEndpoint endpoint = endpointFor(exchange.path());
        if (endpoint == null) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "no such path");
            return;
        }
        if (!endpoint.methods().contains(request.method())) {
            FullHttpResponse response = HttpResponses.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
            response.headers().set(HttpHeaderNames.ALLOW,
                    endpoint.methods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")));
            log.info("refused {} {} from {}: 405 (allowed: {})", request.method(), exchange.path(),
                    exchange.remoteAddress(), response.headers().get(HttpHeaderNames.ALLOW));
            exchange.respond(response);
            return;
        }
        endpoint.handle(exchange);
    }

    private HttpEndpoint endpointFor(String path) {
        HttpEndpoint exact = endpoints.get(path);
        if (exact != null) {
            return exact;
        }
        for (String prefix : prefixes) {
            if (path.startsWith(prefix)) {
                return endpoints.get(prefix);
            }
        }
        return null;
    }

    /** Runs on the event loop right after a response was written. */
    private void responded() {
        awaitingResponse = false;
        if (ctx.isRemoved()) {
            return;
        }
        FullHttpRequest next = held.poll();
        if (next != null) {
            // Not nested inside the dispatch that responded.
            ctx.executor().execute(() -> {
                if (ctx.isRemoved()) {
                    next.release();
                } else {
                    dispatch(next);
                }
            });
        } else if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    private void releaseHeld() {
        FullHttpRequest request;
        while ((request = held.poll()) != null) {
            request.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed", HttpExchange.format(ctx.channel().remoteAddress()), cause);
        ctx.close();
    }
}
