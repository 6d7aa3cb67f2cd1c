package dev.weft.server.web;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /demo/ai/fake-llm/v1/chat/completions} (with {@code demo.enabled}): a stand-in model for the ai-chat
 * demo that speaks OpenAI Chat Completions streaming, so the demo runs without a model or a key. Whatever the
 * request asks, it answers {@link #ANSWER}, one word per {@code chat.completion.chunk} at {@value #TOKENS_PER_SECOND}
 * a second, then {@code data: [DONE]}; the demo's relay reaches it over a real socket like any upstream.
 *
 * <p>At most {@value #MAX_ANSWERS} answers drip at once (503 beyond, which the relay reports as the upstream's
 * refusal). The chunks are encoded once; each answer is a timer on its connection's event loop, cancelled when
 * the connection closes (a stopped stream's relay closes it). Thread-safe.
 */
public final class FakeLlm implements HttpEndpoint {
    public static final String PATH = "/demo/ai/fake-llm/v1/chat/completions";
    static final int TOKENS_PER_SECOND = 30;
    static final int MAX_ANSWERS = 64;
    /** What every answer says. */
    public static final String ANSWER = """
            Weft keeps this answer in a channel, one part per token, so the page that asked is only one of its \
            readers. Reload the page while the words are still arriving: it reads the stream again from its \
            beginning and then goes on live, and not a word is lost or shown twice.

            The tokens come from a small fake model that Weft serves itself under the demo prefix. It speaks \
            the OpenAI Chat Completions streaming format and drips a few words a second, so there is time to \
            watch. Point the demo at a real model by configuring an upstream named demo.

            The page paints once per animation frame, however many tokens arrived since the last one. Press \
            Stop and Weft closes the connection to the model at once; every reader sees the answer end.""";
    private static final List<byte[]> EVENTS = events(ANSWER);

    private final AtomicInteger answering = new AtomicInteger();

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.POST);
    }

    @Override
    public void handle(HttpExchange exchange) {
        if (answering.incrementAndGet() > MAX_ANSWERS) {
            answering.decrementAndGet();
            exchange.refuse(HttpResponses.jsonError(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the demo model answers " + MAX_ANSWERS + " questions at once; try again soon"),
                    "fake model busy");
            return;
        }
        boolean http2 = exchange.isHttp2();
        Channel channel = exchange.startStream();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store");
        if (!http2) {
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        channel.writeAndFlush(head);
        Drip drip = new Drip(channel);
        long period = 1000 / TOKENS_PER_SECOND;
        drip.timer = channel.eventLoop().scheduleAtFixedRate(drip, period, period, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> {
            drip.timer.cancel(false);
            answering.decrementAndGet();
        });
    }

    /** The answer's SSE events: a role chunk, one chunk per word (with its following spaces), the finish, [DONE]. */
    public static List<byte[]> events(String answer) {
        List<String> data = new ArrayList<>();
        data.add(chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null"));
        for (String word : answer.split("(?<=\\s)(?=\\S)")) {
            data.add(chunk("{\"content\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(word)) + "\"}",
                    "null"));
        }
        data.add(chunk("{}", "\"stop\""));
        data.add("[DONE]");
        return data.stream().map(d -> ("data: " + d + "\n\n").getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-weft-demo\",\"object\":\"chat.completion.chunk\",\"created\":0,"
                + "\"model\":\"weft-fake\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + finishReason + "}]}";
    }

    /** One answer's progress; event-loop only. */
    private static final class Drip implements Runnable {
        private final Channel channel;
        private int next;
        ScheduledFuture<?> timer;

        Drip(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            if (!channel.isActive()) {
                return;
            }
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(EVENTS.get(next++))));
            if (next == EVENTS.size()) {
                timer.cancel(false);
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
