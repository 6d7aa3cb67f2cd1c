package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.UserConnections;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.client.ServerSubscribe;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.BoolValue;
import dev.weft.server.api.model.EmptyResult;
import dev.weft.server.api.model.SubscribeOverride;
import dev.weft.server.api.model.SubscribeRequest;
import dev.weft.server.api.model.UnsubscribeRequest;

import java.util.List;
import java.util.function.Consumer;

/**
 * {@code subscribe} and {@code unsubscribe}: server-side subscriptions of a user's connections on this node,
 * announced to each connection with a {@code subscribe} / {@code unsubscribe} push (the SDK surfaces them as
 * server-side subscription events). The answer does not wait for the pushes: each connection applies the
 * change in its own command order. Thread-safe.
 */
public final class SubscriptionMethods {
    private final Node node;

    public SubscriptionMethods(Node node) {
        this.node = node;
    }

    public List<ApiMethod<?, ?>> methods() {
        return List.of(
                ApiMethod.of("subscribe", "Subscribe a user's connections to a channel", SubscribeRequest.class,
                        EmptyResult.class, "{\"channel\":\"news\",\"user\":\"42\",\"data\":{\"welcome\":true}}",
                        this::subscribe),
                ApiMethod.of("unsubscribe", "Unsubscribe a user's connections from a channel",
                        UnsubscribeRequest.class, EmptyResult.class, "{\"channel\":\"news\",\"user\":\"42\"}",
                        this::unsubscribe));
    }

    EmptyResult subscribe(SubscribeRequest r) {
        if (r.channel().isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        Payloads.unsupported(!r.session().isEmpty(), "session");
        Payloads.unsupported(r.expireAt() > 0, "expire_at");
        Payloads.unsupported(r.recoverSince() != null, "recover_since");
        ChannelOptions options = withOverrides(node.rules().optionsFor(r.channel()), r.override());
        ServerSubscribe how = new ServerSubscribe(options, Payloads.read(r.info(), r.b64info(), "b64info"),
                Payloads.read(r.data(), r.b64data(), "b64data"));
        node.subscribe(UserConnections.of(r.user(), r.client()), r.channel(), how).toCompletableFuture().join();
        return EmptyResult.INSTANCE;
    }

    EmptyResult unsubscribe(UnsubscribeRequest r) {
        if (r.channel().isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        Payloads.unsupported(!r.session().isEmpty(), "session");
        node.rules().optionsFor(r.channel());
        node.unsubscribe(UserConnections.of(r.user(), r.client()), r.channel()).toCompletableFuture().join();
        return EmptyResult.INSTANCE;
    }

    private static ChannelOptions withOverrides(ChannelOptions options, SubscribeOverride o) {
        if (o == null) {
            return options;
        }
        ChannelOptions.Builder b = options.toBuilder();
        apply(o.presence(), b::presence);
        apply(o.joinLeave(), b::joinLeave);
        apply(o.forcePushJoinLeave(), b::forcePushJoinLeave);
        apply(o.forcePositioning(), b::forcePositioning);
        apply(o.forceRecovery(), b::forceRecovery);
        return b.build();
    }

    private static void apply(BoolValue value, Consumer<Boolean> setter) {
        if (value != null) {
            setter.accept(value.value());
        }
    }
}
