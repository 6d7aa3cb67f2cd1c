package dev.weft.server.api.methods;

import dev.weft.server.ai.AiStreamException;
import dev.weft.server.ai.AiStreams;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.StreamAppendRequest;
import dev.weft.server.api.model.StreamCreateRequest;
import dev.weft.server.api.model.StreamCreateResult;
import dev.weft.server.api.model.StreamErrorRequest;
import dev.weft.server.api.model.StreamFinishRequest;
import dev.weft.server.api.model.StreamResult;
import dev.weft.server.api.model.StreamStopRequest;

import java.util.List;
import java.util.function.Supplier;

/**
 * AI token streams' producing side ({@link AiStreams}): {@code stream_create}, {@code stream_append},
 * {@code stream_finish}, {@code stream_error}, {@code stream_stop}; also served as {@code POST /api/streams}
 * and {@code POST /api/streams/<id>/append|finish|error|stop}. Thread-safe; calls block on the broker.
 */
public final class StreamMethods {
    /** A stream that has ended, or a producer that is no longer the stream's. */
    static final ApiError CONFLICT = new ApiError(113, "conflict");
    static final ApiError LIMIT_EXCEEDED = new ApiError(106, "limit exceeded");

    private final AiStreams streams;

    public StreamMethods(AiStreams streams) {
        this.streams = streams;
    }

    public List<ApiMethod<?, ?>> methods() {
        return List.of(
                ApiMethod.of("stream_create", "Create an AI token stream (POST /api/streams)",
                        StreamCreateRequest.class, StreamCreateResult.class,
                        "{\"channel\":\"news\",\"id\":\"example@news\"}", this::create),
                ApiMethod.of("stream_append", "Append text or a part to a stream (POST /api/streams/<id>/append)",
                        StreamAppendRequest.class, StreamResult.class,
                        "{\"id\":\"example@news\",\"text\":\"Hello\"}", r -> call(() -> append(r))),
                ApiMethod.of("stream_finish", "End a stream with finish (POST /api/streams/<id>/finish)",
                        StreamFinishRequest.class, StreamResult.class,
                        "{\"id\":\"example@news\",\"finish_reason\":\"stop\"}",
                        r -> call(() -> streams.finish(id(r.id()), r.generation(), r.finishReason()))),
                ApiMethod.of("stream_error", "End a stream with error (POST /api/streams/<id>/error)",
                        StreamErrorRequest.class, StreamResult.class,
                        "{\"id\":\"example@news\",\"error_text\":\"model unavailable\"}",
                        r -> call(() -> streams.error(id(r.id()), r.generation(), r.errorText()))),
                ApiMethod.of("stream_stop", "Stop a stream: cancel its relay, end it with abort "
                                + "(POST /api/streams/<id>/stop)", StreamStopRequest.class, StreamResult.class,
                        "{\"id\":\"example@news\"}", r -> call(() -> streams.stop(id(r.id()), r.reason()))));
    }

    private StreamCreateResult create(StreamCreateRequest r) {
        try {
            AiStreams.Created c = streams.create(new AiStreams.CreateSpec(r.channel(), r.chatId(), r.id(), r.user(),
                    r.upstream() == null ? null : r.upstream().bytes()));
            return new StreamCreateResult(c.id(), c.channel(), c.generation());
        } catch (AiStreamException e) {
            throw refusal(e);
        }
    }

    private AiStreams.Status append(StreamAppendRequest r) {
        boolean hasText = r.text() != null;
        boolean hasPart = r.part() != null;
        if (hasText == hasPart) {
            throw new ApiException(ApiError.BAD_REQUEST, "exactly one of text and part");
        }
        return hasText ? streams.appendText(id(r.id()), r.generation(), r.text())
                : streams.appendPart(id(r.id()), r.generation(), r.part().bytes());
    }

    private static String id(String id) {
        if (id.isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST, "id is required");
        }
        return id;
    }

    private static StreamResult call(Supplier<AiStreams.Status> operation) {
        try {
            AiStreams.Status s = operation.get();
            return new StreamResult(s.id(), s.channel(), s.generation(), s.state());
        } catch (AiStreamException e) {
            throw refusal(e);
        }
    }

    private static ApiException refusal(AiStreamException e) {
        ApiError error = switch (e.kind()) {
            case BAD_REQUEST -> ApiError.BAD_REQUEST;
            case NOT_FOUND -> ApiError.NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case LIMIT -> LIMIT_EXCEEDED;
            case NOT_AVAILABLE -> ApiError.NOT_AVAILABLE;
        };
        return new ApiException(error, e.getMessage());
    }
}
