package dev.weft.server;

import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.broker.PublishOptions;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WeftConfig;
import dev.weft.store.sqlite.SqliteBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code engine.type} picks the broker (the switch is {@code WeftServer.newNode}); the durable default keeps channel streams across server restarts. */
class EngineTypesTest {

    @TempDir
    Path data;

    @Test
    void theDefaultEngineIsTheSqliteBrokerUnderDataDir() {
        WeftConfig config = WeftConfig.DEFAULT.withDataDir(data.toString())
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0));
        WeftServer durable = WeftServer.start(config);
        try {
            assertThat(durable.node().internalsForTests().broker()).isInstanceOf(SqliteBroker.class);
            assertThat(data.resolve(SqliteBroker.FILE_NAME)).exists();
        } finally {
            durable.close(Duration.ofSeconds(1));
        }
        WeftServer memory = WeftServer.start(config.withEngine(EngineConfig.MEMORY));
        try {
            assertThat(memory.node().internalsForTests().broker()).isInstanceOf(MemoryBroker.class);
        } finally {
            memory.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void aServerRestartedOnTheSameDataDirKeepsEveryStreamAndStartsWithEmptyPresence() {
        WeftConfig config = WeftConfig.DEFAULT.withDataDir(data.toString())
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0));
        PublishOptions history = PublishOptions.withHistory(10, Duration.ofMinutes(5));
        StreamPosition before;
        WeftServer first = WeftServer.start(config);
        try {
            first.node().internalsForTests().broker().publish("news", "a".getBytes(UTF_8), history);
            before = first.node().internalsForTests().broker().publish("news", "b".getBytes(UTF_8), history).position();
            first.node().internalsForTests().presenceManager().addPresence("news", "conn-1", new ClientInfo("ann", "conn-1", null, null),
                    Duration.ofMinutes(1));
        } finally {
            first.close(Duration.ofSeconds(1));
        }

        WeftServer second = WeftServer.start(config);
        try {
            assertThat(second.node().internalsForTests().broker().position("news")).isEqualTo(before);
            assertThat(second.node().internalsForTests().presenceManager().presence("news")).as("presence is not kept").isEmpty();
        } finally {
            second.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void aDataDirThatCannotHoldTheStoreFailsTheStartWithTheReason() throws Exception {
        Path notADirectory = Files.writeString(data.resolve("a-file"), "not a directory");
        WeftConfig config = WeftConfig.DEFAULT.withDataDir(notADirectory.toString())
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0));

        assertThatThrownBy(() -> WeftServer.start(config))
                .hasMessageContaining("channel history")
                .hasMessageContaining(notADirectory.toString());
    }
}
