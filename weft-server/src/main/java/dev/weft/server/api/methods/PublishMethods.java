package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.ServerPublish;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.server.api.ApiCalls;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.Parallel;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.BroadcastRequest;
import dev.weft.server.api.model.BroadcastResult;
import dev.weft.server.api.model.JsonPayload;
import dev.weft.server.api.model.PublishRequest;
import dev.weft.server.api.model.PublishResponse;
import dev.weft.server.api.model.PublishResult;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@code publish} and {@code broadcast}: {@link Node#publish} with the channel's history options (or none, with
 * {@code skip_history}), tags, idempotency key and delta flag; a broadcast is one publish per channel, run concurrently.
 * Thread-safe; calls block on the broker.
 */
public final class PublishMethods {
    /** Channels of one broadcast published at once, as Centrifugo bounds it. */
    private static final int BROADCAST_CONCURRENCY = 1024;

    private final Node node;
    private final Executor executor;

    public PublishMethods(Node node, Executor executor) {
        this.node = node;
        this.executor = executor;
    }

    public List<ApiMethod<?, ?>> methods() {
        return List.of(
                ApiMethod.of("publish", "Publish data into a channel", PublishRequest.class, PublishResult.class,
                        "{\"channel\":\"news\",\"data\":{\"text\":\"hello\"},\"tags\":{\"kind\":\"greeting\"}}",
                        this::publish),
                ApiMethod.of("broadcast", "Publish the same data into many channels", BroadcastRequest.class,
                        BroadcastResult.class, "{\"channels\":[\"news\",\"sport\"],\"data\":{\"text\":\"hello\"}}",
                        this::broadcast));
    }

    PublishResult publish(PublishRequest r) {
        if (r.channel().isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        byte[] data = data(r.data(), r.b64data(), r.version(), r.versionEpoch());
        return publishOne(r.channel(), data,
                new ServerPublish(r.tags(), r.idempotencyKey(), r.skipHistory(), r.delta()));
    }

    BroadcastResult broadcast(BroadcastRequest r) {
        if (r.channels().isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        byte[] data = data(r.data(), r.b64data(), r.version(), r.versionEpoch());
        ServerPublish how = new ServerPublish(r.tags(), r.idempotencyKey(), r.skipHistory(), r.delta());
        ApiMethod<String, PublishResult> one = ApiMethod.of("broadcast", "", String.class, PublishResult.class, "",
                channel -> {
                    if (channel == null || channel.isEmpty()) {
                        throw new ApiException(ApiError.BAD_REQUEST);
                    }
                    return publishOne(channel, data, how);
                });
        Function<String, PublishResponse> publishTo = channel -> {
            ApiCalls.Outcome outcome = ApiCalls.call(one, channel);
            return new PublishResponse(outcome.error(), (PublishResult) outcome.result());
        };
        return new BroadcastResult(Parallel.map(r.channels(), publishTo, executor, BROADCAST_CONCURRENCY));
    }

    private static byte[] data(JsonPayload json, String b64, long version,
                               String versionEpoch) {
        Payloads.unsupported(version > 0, "version");
        Payloads.unsupported(!versionEpoch.isEmpty(), "version_epoch");
        byte[] data = Payloads.read(json, b64, "b64data");
        if (data == null || data.length == 0) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        return data;
    }

    private PublishResult publishOne(String channel, byte[] data, ServerPublish how) {
        PublishOutcome outcome = node.publish(channel, data, how);
        return new PublishResult(outcome.position().offset(), outcome.position().epoch());
    }
}
