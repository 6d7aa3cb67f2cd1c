package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.presence.PresenceStats;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.ClientInfo;
import dev.weft.server.api.model.PresenceRequest;
import dev.weft.server.api.model.PresenceResult;
import dev.weft.server.api.model.PresenceStatsRequest;
import dev.weft.server.api.model.PresenceStatsResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code presence} and {@code presence_stats} (108 where the namespace keeps no presence). Thread-safe. */
public final class PresenceMethods {
    private final Node node;

    public PresenceMethods(Node node) {
        this.node = node;
    }

    public List<ApiMethod<?, ?>> methods() {
        return List.of(
                ApiMethod.of("presence", "Connections present in a channel", PresenceRequest.class,
                        PresenceResult.class, "{\"channel\":\"news\"}", r -> presence(r.channel())),
                ApiMethod.of("presence_stats", "Number of connections and users present in a channel",
                        PresenceStatsRequest.class, PresenceStatsResult.class, "{\"channel\":\"news\"}",
                        r -> presenceStats(r.channel())));
    }

    PresenceResult presence(String channel) {
        checkPresence(channel);
        Map<String, ClientInfo> out = new LinkedHashMap<>();
        node.presence(channel).forEach((client, info) -> out.put(client, clientInfo(info)));
        return new PresenceResult(out);
    }

    PresenceStatsResult presenceStats(String channel) {
        checkPresence(channel);
        PresenceStats stats = node.presenceStats(channel);
        return new PresenceStatsResult(stats.numClients(), stats.numUsers());
    }

    private void checkPresence(String channel) {
        if (channel.isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        ChannelOptions options = node.rules().optionsFor(channel);
        if (!options.presence()) {
            throw new ApiException(ApiError.NOT_AVAILABLE);
        }
    }

    static ClientInfo clientInfo(dev.weft.protocol.model.ClientInfo info) {
        return new ClientInfo(info.user(), info.client(), Payloads.json(info.connInfo()),
                Payloads.json(info.chanInfo()));
    }
}
