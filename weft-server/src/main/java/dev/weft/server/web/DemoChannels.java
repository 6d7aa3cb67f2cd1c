package dev.weft.server.web;

import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.server.config.WeftConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code demo.enabled} adds to the engine's configuration so the demo pages work without tokens: a
 * {@value #NAMESPACE} namespace anonymous clients may subscribe to, publish in, and read the presence and
 * history of, a {@value #AI_NAMESPACE} namespace of AI chat streams they may read (not publish in; its history
 * holds whole answers), and anonymous connections. Nothing else opens up: every other namespace still asks for
 * its own {@code allow_*_for_anonymous} options (off by default), so an anonymous connection can use
 * {@code demo:} and {@code demo_ai:} channels and documents only. A namespace of either name the configuration
 * defines itself is kept as it is.
 */
public final class DemoChannels {
    private static final Logger log = LoggerFactory.getLogger(DemoChannels.class);
    /** The namespace of every demo channel and document ({@code demo:chat}, {@code demo:table}). */
    public static final String NAMESPACE = "demo";
    /** The namespace of the ai-chat demo's streams ({@link DemoAiChat}). */
    public static final String AI_NAMESPACE = DemoAiChat.NAMESPACE;

    /** Parts kept per demo chat: the fake model's answer is about 200, a real model's a few times that. */
    static final int AI_HISTORY_SIZE = 4000;

    private DemoChannels() {
    }

    /** {@code config} with the demo namespace and anonymous connections when {@code demo.enabled}, else as is. */
    public static WeftConfig apply(WeftConfig config) {
        if (!config.web().demoEnabled()) {
            return config;
        }
        NodeConfig node = config.node();
        ChannelConfig channels = node.channels();
        List<Namespace> namespaces = new ArrayList<>(channels.namespaces());
        if (namespaces.stream().noneMatch(n -> n.name().equals(NAMESPACE))) {
            namespaces.add(new Namespace(NAMESPACE, options()));
        } else {
            log.info("demo.enabled: keeping the configured '{}' namespace; the demos need anonymous subscribe, "
                    + "publish, presence and history in it", NAMESPACE);
        }
        if (namespaces.stream().noneMatch(n -> n.name().equals(AI_NAMESPACE))) {
            namespaces.add(new Namespace(AI_NAMESPACE, aiOptions()));
        } else {
            log.info("demo.enabled: keeping the configured '{}' namespace; the ai-chat demo needs anonymous "
                    + "subscribe and a history that holds whole answers in it", AI_NAMESPACE);
        }
        ClientOptions client = node.client().toBuilder().allowAnonymousConnectWithoutToken(true).build();
        log.warn("demo.enabled: anonymous connections are accepted; they may use the '{}' and '{}' (read only) "
                + "namespaces and no other that does not allow anonymous clients itself", NAMESPACE, AI_NAMESPACE);
        return config.withNode(node.withClient(client)
                .withChannels(channels.withNamespaces(channels.withoutNamespace(), namespaces)));
    }

    private static ChannelOptions options() {
        return ChannelOptions.builder().presence(true).joinLeave(true).forcePushJoinLeave(true)
                .historySize(100).historyTtl(Duration.ofMinutes(10))
                .allowSubscribeForClient(true).allowSubscribeForAnonymous(true)
                .allowPublishForSubscriber(true).allowPublishForClient(true).allowPublishForAnonymous(true)
                .allowHistoryForSubscriber(true).allowPresenceForSubscriber(true).build();
    }

    /** Read-only for clients (only the demo's relays write); history for a few whole answers of a chat. */
    private static ChannelOptions aiOptions() {
        return ChannelOptions.builder().historySize(AI_HISTORY_SIZE).historyTtl(Duration.ofMinutes(10))
                .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();
    }
}
