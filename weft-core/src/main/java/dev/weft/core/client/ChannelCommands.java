package dev.weft.core.client;

import dev.weft.core.CommandFailedException;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.presence.PresenceStats;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.HistoryResult;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceResult;
import dev.weft.protocol.model.PresenceStatsRequest;
import dev.weft.protocol.model.PresenceStatsResult;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.PublishResult;
import dev.weft.protocol.model.Result;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.RpcResult;
import dev.weft.protocol.model.SendRequest;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * The commands that use a channel (or the application) without changing the session's own state:
 * publish, presence, presence_stats, history, send and rpc. The session says who is asking and which
 * channels it is subscribed to; permissions come from {@link SessionAuthorizer}.
 *
 * <p>Stateless apart from its collaborators; thread-safe. Methods may block (broker, presence, handlers):
 * they run on the session's virtual thread.
 */
final class ChannelCommands {
    private final SessionServices services;
    private final SessionAuthorizer authorizer;
    private final SessionProxy proxy;

    ChannelCommands(SessionServices services, SessionAuthorizer authorizer, SessionProxy proxy) {
        this.services = services;
        this.authorizer = authorizer;
        this.proxy = proxy;
    }

    Result publish(PublishRequest request, ClientInfo caller, Predicate<String> subscribed) {
        var options = services.rules().optionsFor(request.channel());
        if (request.data() == null || request.data().length == 0) {
            // As Centrifuge: a publication needs data (found by CommandDecoderFuzzTest: it reached the broker).
            throw new CommandFailedException(ErrorCode.BAD_REQUEST, "publish without data");
        }
        var proxied = proxy.publish(request); // the backend decides instead of the namespace's permissions
        if (proxied == null) {
            authorizer.checkPublish(options, caller.user(), subscribed.test(request.channel()));
        } else if (proxied.skipHistory()) {
            options = options.toBuilder().historySize(0).historyTtl(Duration.ZERO).build();
        }
        byte[] data = proxied == null ? request.data() : proxied.data();
        services.publish(request.channel(), data, services.publishOptions(options, caller));
        return new PublishResult();
    }

    Result presence(PresenceRequest request, ClientInfo caller, Predicate<String> subscribed) {
        checkPresenceAllowed(request.channel(), caller, subscribed);
        return new PresenceResult(services.presenceManager().presence(request.channel()));
    }

    Result presenceStats(PresenceStatsRequest request, ClientInfo caller, Predicate<String> subscribed) {
        checkPresenceAllowed(request.channel(), caller, subscribed);
        PresenceStats stats = services.presenceManager().presenceStats(request.channel());
        return new PresenceStatsResult(stats.numClients(), stats.numUsers());
    }

    private void checkPresenceAllowed(String channel, ClientInfo caller, Predicate<String> subscribed) {
        var options = services.rules().optionsFor(channel);
        if (!options.presence()) {
            throw new CommandFailedException(ErrorCode.NOT_AVAILABLE, "presence not enabled");
        }
        authorizer.checkPresence(options, caller.user(), subscribed.test(channel));
    }

    Result history(HistoryRequest request, ClientInfo caller, Predicate<String> subscribed) {
        var options = services.rules().optionsFor(request.channel());
        if (!options.historyEnabled()) {
            throw new CommandFailedException(ErrorCode.NOT_AVAILABLE, "history not enabled");
        }
        authorizer.checkHistory(options, caller.user(), subscribed.test(request.channel()));
        int max = services.config().client().historyMaxPublicationLimit();
        int limit = request.limit() < 0 ? max : Math.min(request.limit(), max);
        HistoryPage page = services.broker().history(request.channel(),
                new HistoryFilter(request.since(), limit, request.reverse(), Duration.ZERO));
        if (request.since() != null && !request.since().epoch().equals(page.position().epoch())) {
            throw new CommandFailedException(ErrorCode.UNRECOVERABLE_POSITION, "epoch changed");
        }
        return new HistoryResult(page.publications(), page.position().epoch(), page.position().offset());
    }

    /** No reply: {@code send} is one-way. */
    Result send(SendRequest request, ClientInfo caller) {
        var handler = services.sendHandler();
        if (handler != null) {
            handler.onSend(caller, request.data());
        }
        return null;
    }

    Result rpc(RpcRequest request, ClientInfo caller) {
        if (proxy.proxiesRpc(request.method())) {
            return new RpcResult(proxy.rpc(request));
        }
        var handler = services.rpcHandler();
        if (handler == null) {
            throw new CommandFailedException(ErrorCode.NOT_AVAILABLE, "no rpc handler");
        }
        return new RpcResult(handler.onRpc(caller, request.method(), request.data()));
    }
}
