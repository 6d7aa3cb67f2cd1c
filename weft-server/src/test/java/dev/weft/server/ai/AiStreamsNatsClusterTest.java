package dev.weft.server.ai;

import dev.weft.nats.NatsEngineConfig;
import dev.weft.nats.SharedNats;
import dev.weft.server.config.EngineConfig;
import org.junit.jupiter.api.AfterEach;

import java.util.UUID;

/** AI streams on two nodes sharing the machine's NATS. */
class AiStreamsNatsClusterTest extends AiStreamsClusterTest {
    private final String prefix = "weftai-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected EngineConfig engine() {
        return EngineConfig.DEFAULT.withType("nats").withNats(NatsEngineConfig.of(SharedNats.URL, prefix));
    }

    @AfterEach
    void deletePrefix() throws Exception {
        SharedNats.deletePrefix(SharedNats.URL, prefix);
    }
}
