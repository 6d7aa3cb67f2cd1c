package dev.weft.core;

import dev.weft.core.channel.ChannelConfig;

import java.time.Duration;

/**
 * Everything the engine needs to know, as one immutable value.
 *
 * @param name           node name, reported in connect results and logs
 * @param client         connection-level options
 * @param channels       namespaces and channel options
 * @param historyMetaTtl default for how long a stream's epoch/offset survive without publications
 *                       (Centrifugo's {@code channel.history_meta_ttl}, 30 days)
 */
public record NodeConfig(String name, ClientOptions client, ChannelConfig channels, Duration historyMetaTtl) {

    public static final NodeConfig DEFAULT =
            new NodeConfig("weft", ClientOptions.DEFAULT, ChannelConfig.DEFAULT, Duration.ofDays(30));

    public NodeConfig {
        name = name == null || name.isEmpty() ? "weft" : name;
        client = client == null ? ClientOptions.DEFAULT : client;
        channels = channels == null ? ChannelConfig.DEFAULT : channels;
        historyMetaTtl = historyMetaTtl == null ? Duration.ofDays(30) : historyMetaTtl;
    }

    public NodeConfig withClient(ClientOptions newClient) {
        return new NodeConfig(name, newClient, channels, historyMetaTtl);
    }

    public NodeConfig withChannels(ChannelConfig newChannels) {
        return new NodeConfig(name, client, newChannels, historyMetaTtl);
    }
}
