package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.client.ClientSession;
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

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** {@code channels} and {@code info}: what this node holds. Thread-safe. */
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
        for (String channel : node.hub().channels()) {
            int clients = node.hub().subscriberCount(channel);
            if (clients > 0 && matches.test(channel)) {
                channels.put(channel, new ChannelInfo(clients));
            }
        }
        return new ChannelsResult(channels);
    }

    InfoResult info() {
        Collection<ClientSession> sessions = node.hub().sessions();
        Set<String> users = new HashSet<>();
        sessions.forEach(s -> users.add(s.userId()));
        Set<String> channels = node.hub().channels();
        int subs = channels.stream().mapToInt(c -> node.hub().subscriberCount(c)).sum();
        return new InfoResult(List.of(new NodeResult(identity.uid(), identity.name(), identity.version(),
                sessions.size(), users.size(), channels.size(), identity.uptimeSeconds(), subs)));
    }
}
