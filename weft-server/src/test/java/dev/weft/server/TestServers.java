package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Real servers on 127.0.0.1:0 for the attack tests, and the little JSON they need. */
final class TestServers {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Channels without namespace keep history, so a test can count what was really published. */
    static final ChannelOptions WITH_HISTORY = ChannelOptions.builder()
            .historySize(20_000).historyTtl(Duration.ofMinutes(5)).build();

    private TestServers() {
    }

    /** Insecure clients (no token needed), history on channels without namespace, plus {@code more}. */
    static WeftServer start(ClientOptions.Builder client, UnaryOperator<WeftConfig> more) {
        return startAsIs(client.insecure(true), more);
    }

    /** As configured (e.g. with an HMAC key: clients need tokens); history on channels without namespace. */
    static WeftServer startAsIs(ClientOptions.Builder client, UnaryOperator<WeftConfig> more) {
        NodeConfig node = NodeConfig.DEFAULT
                .withClient(client.build())
                .withChannels(ChannelConfig.DEFAULT.withNamespaces(WITH_HISTORY, List.of()));
        return WeftServer.start(more.apply(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY).withNode(node)
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))));
    }

    static WeftServer start(ClientOptions.Builder client) {
        return start(client, c -> c);
    }

    /** Every JSON object in a frame (one per line). */
    static List<JsonNode> lines(String frame) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : frame.split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publications the node has accepted into {@code channel}'s stream so far. */
    static long published(WeftServer server, String channel) {
        return server.node().internalsForTests().broker().history(channel, dev.weft.core.broker.HistoryFilter.POSITION_ONLY)
                .position().offset();
    }
}
