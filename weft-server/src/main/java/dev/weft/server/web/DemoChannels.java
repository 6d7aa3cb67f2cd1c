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
 * history of, and anonymous connections. Nothing else opens up: every other namespace still asks for its own
 * {@code allow_*_for_anonymous} options (off by default), so an anonymous connection can use {@code demo:}
 * channels and documents only. A {@value #NAMESPACE} namespace the configuration defines itself is kept as
 * it is.
 */
public final class DemoChannels {
    private static final Logger log = LoggerFactory.getLogger(DemoChannels.class);
    /** The namespace of every demo channel and document ({@code demo:chat}, {@code demo:table}). */
    public static final String NAMESPACE = "demo";

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
        ClientOptions client = node.client().toBuilder().allowAnonymousConnectWithoutToken(true).build();
        log.warn("demo.enabled: anonymous connections are accepted; they may use the '{}' namespace and no other "
                + "that does not allow anonymous clients itself", NAMESPACE);
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
}
