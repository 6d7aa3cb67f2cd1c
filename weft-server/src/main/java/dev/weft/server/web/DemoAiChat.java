package dev.weft.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.limits.KeyedRateLimiter;
import dev.weft.server.ai.AiStreamException;
import dev.weft.server.ai.AiStreams;
import dev.weft.server.api.ApiJson;
import dev.weft.server.config.AiRelayConfig;
import dev.weft.server.http.ConnectionAdmission;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.github.bucket4j.TimeMeter;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code POST /demo/ai/chat} (with {@code demo.enabled}): what an application's backend does for its chat page,
 * so the ai-chat demo needs no key in the browser. {@code {"question": "…", "chat_id": "…"}} (chat id optional:
 * a new one) starts a relay into a new stream in channel {@code demo_ai:chat_<chat id>} through the same
 * {@link AiStreams#create} as {@code POST /api/streams}, and answers {@code {"chat_id","id","channel"}}; the page
 * then reads {@code /ai/streams/<id>} and stops it with {@code POST /ai/streams/<id>/stop}, as any reader may.
 *
 * <p>The model is the {@code ai.upstreams} entry named {@value #UPSTREAM} when configured (model
 * {@value #MODEL}), else Weft's own {@link FakeLlm} on this server's port. Bounded: an address (IPv6: its /64)
 * may ask {@value #BURST} questions at once, then one every {@link #REFILL} (refused requests do not count); each stream's user is
 * {@code demo:<address>}, so {@code ai.streams.max_per_user} bounds its open answers; the request must be JSON
 * ({@code Content-Type: application/json}: another site's page cannot send that without a CORS preflight, which
 * this endpoint does not answer). Thread-safe.
 */
public final class DemoAiChat implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(DemoAiChat.class);
    public static final String PATH = "/demo/ai/chat";
    /** The {@code ai.upstreams} entry the demo uses when configured. */
    public static final String UPSTREAM = "demo";
    /** The model asked of a configured upstream. */
    public static final String MODEL = "gpt-4o-mini";
    /** The namespace of the demo's chat channels. */
    public static final String NAMESPACE = "demo_ai";
    static final int BURST = 5;
    static final Duration REFILL = Duration.ofSeconds(2);
    static final int MAX_QUESTION_LENGTH = 2000;
    private static final int MAX_TRACKED_ADDRESSES = 65_536;
    private static final Pattern CHAT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final AiStreams streams;
    private final AiRelayConfig relay;
    private final Supplier<String> fakeLlmUrl;
    private final Executor blocking;
    private final KeyedRateLimiter questions = new KeyedRateLimiter(1, REFILL, BURST, MAX_TRACKED_ADDRESSES,
            TimeMeter.SYSTEM_NANOTIME);

    /**
     * @param fakeLlmUrl the URL of this server's {@link FakeLlm}, asked when a question comes (the port is known
     *                   once the server listens)
     * @param blocking   where streams are created (publishing may wait for the broker)
     */
    public DemoAiChat(AiStreams streams, AiRelayConfig relay, Supplier<String> fakeLlmUrl, Executor blocking) {
        this.streams = streams;
        this.relay = relay;
        this.fakeLlmUrl = fakeLlmUrl;
        this.blocking = blocking;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.POST);
    }

    @Override
    public void handle(HttpExchange exchange) {
        String type = exchange.request().headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            exchange.refuseJson(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
            return;
        }
        String question;
        String chatId;
        try {
            JsonNode body = ApiJson.mapper().readTree(ByteBufUtil.getBytes(exchange.request().content()));
            question = body == null ? "" : body.path("question").asText("").strip();
            chatId = body == null ? "" : body.path("chat_id").asText("");
        } catch (IOException e) {
            exchange.refuseJson(HttpResponseStatus.BAD_REQUEST, "the body is not JSON");
            return;
        }
        if (question.isEmpty() || question.length() > MAX_QUESTION_LENGTH) {
            exchange.refuseJson(HttpResponseStatus.BAD_REQUEST, "question: 1 to " + MAX_QUESTION_LENGTH + " characters");
            return;
        }
        if (chatId.isEmpty()) {
            chatId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        } else if (!CHAT_ID.matcher(chatId).matches()) {
            exchange.refuseJson(HttpResponseStatus.BAD_REQUEST, "chat_id: 1 to 64 of A-Z a-z 0-9 _ -");
            return;
        }
        String address = ConnectionAdmission.addressKey(exchange.context().channel().remoteAddress());
        long waitNanos = questions.tryAcquire(address);
        if (waitNanos > 0) {
            var response = HttpResponses.jsonError(HttpResponseStatus.TOO_MANY_REQUESTS,
                    "too many questions from this address; try again soon");
            response.headers().set(HttpHeaderNames.RETRY_AFTER,
                    Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L)));
            exchange.refuse(response, "demo question rate");
            return;
        }
        String channel = NAMESPACE + ":chat_" + chatId;
        byte[] upstream = upstream(question);
        String chat = chatId;
        blocking.execute(() -> {
            try {
                AiStreams.Created created = streams.create(
                        new AiStreams.CreateSpec(channel, null, null, "demo:" + address, upstream));
                ObjectNode answer = ApiJson.mapper().createObjectNode()
                        .put("chat_id", chat).put("id", created.id()).put("channel", created.channel());
                exchange.respond(HttpResponses.json(HttpResponseStatus.OK, ApiJson.mapper().writeValueAsBytes(answer)));
            } catch (AiStreamException e) {
                exchange.refuseJson(e.kind() == AiStreamException.Kind.LIMIT ? HttpResponseStatus.TOO_MANY_REQUESTS
                        : HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
            } catch (IOException | RuntimeException e) {
                log.warn("demo question failed", e);
                exchange.refuseJson(HttpResponseStatus.SERVICE_UNAVAILABLE, "the demo could not start an answer");
            }
        });
    }

    /** The relay's upstream object: the configured {@value #UPSTREAM} upstream, else this server's fake model. */
    private byte[] upstream(String question) {
        ObjectNode up = ApiJson.mapper().createObjectNode();
        AiRelayConfig.Upstream configured = relay.upstreams().get(UPSTREAM);
        if (configured != null) {
            up.put("name", UPSTREAM);
            if (configured.format() == null) {
                up.put("format", "openai-chat");
            }
        } else {
            up.put("url", fakeLlmUrl.get()).put("format", "openai-chat");
        }
        ObjectNode body = up.putObject("body").put("model", MODEL);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        try {
            return ApiJson.mapper().writeValueAsBytes(up);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a tree of strings always serialises
        }
    }
}
