package dev.weft.server;

import dev.weft.nats.NatsEngineConfig;
import dev.weft.nats.SharedNats;
import dev.weft.server.config.EngineConfig;
import org.junit.jupiter.api.AfterEach;

import java.util.UUID;

/** The control plane between two nodes on the machine's NATS (subjects {@code <prefix>.control}, …). */
class NatsClusterControlServerTest extends ClusterControlServerTest {
    private final String prefix = "weftctl-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected EngineConfig engine() {
        return EngineConfig.DEFAULT.withType("nats").withNats(NatsEngineConfig.of(SharedNats.URL, prefix));
    }

    @AfterEach
    void deletePrefix() throws Exception {
        SharedNats.deletePrefix(SharedNats.URL, prefix);
    }
}
