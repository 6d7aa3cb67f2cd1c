package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.NodeStats;
import dev.weft.core.control.NodeInfo;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.http.Glob;
import dev.weft.server.api.model.ChannelInfo;
import dev.weft.server.api.model.ChannelsRequest;
import dev.weft.server.api.model.ChannelsResult;
import dev.weft.server.api.model.InfoRequest;
import dev.weft.server.api.model.InfoResult;
import dev.weft.server.api.model.NodeResult;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@code channels}: what this node holds; {@code info}: this node and every other node of the cluster as its
 * last heartbeat (at most 3 s old) describes it. Thread-safe.
 */
public final class NodeMethods {
    private final Node node;
    private final NodeIdentity identity;

    public NodeMethods(Node node, NodeIdentity identity) {
        this.node = node;
        this.identity = identity;
    }

    public List<ApiMethod<?, ?>> methods() {
        return List.of(
                ApiMethod.of("channels", "Active channels and their subscriber counts", ChannelsRequest.class,
                        ChannelsResult.class, "{\"pattern\":\"n*\"}", this::channels),
                ApiMethod.of("info", "Running nodes", InfoRequest.class, InfoResult.class, "{}", r -> info()));
    }

    ChannelsResult channels(ChannelsRequest r) {
        Predicate<String> matches;
        try {
            matches = r.pattern().isEmpty() ? c -> true : Glob.compile(r.pattern());
        } catch (IllegalArgumentException e) { // PatternSyntaxException included
            throw new ApiException(ApiError.BAD_REQUEST, "invalid pattern: " + e.getMessage());
        }
        var channels = new TreeMap<String, ChannelInfo>();
        node.channels().forEach((channel, clients) -> {
            if (matches.test(channel)) {
                channels.put(channel, new ChannelInfo(clients));
            }
        });
        return new ChannelsResult(channels);
    }

    InfoResult info() {
        NodeStats stats = node.stats();
        List<NodeResult> nodes = new ArrayList<>();
        nodes.add(new NodeResult(identity.uid(), identity.name(), identity.version(), stats.clients(),
                stats.users(), stats.channels(), identity.uptimeSeconds(), stats.subscriptions()));
        for (NodeInfo other : node.otherNodes()) {
            nodes.add(new NodeResult(other.id(), other.name(), other.version(), other.clients(), other.users(),
                    other.channels(), other.uptimeSeconds(), other.subscriptions()));
        }
        return new InfoResult(nodes);
    }
}
