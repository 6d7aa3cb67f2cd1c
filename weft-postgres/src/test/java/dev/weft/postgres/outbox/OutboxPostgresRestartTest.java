package dev.weft.postgres.outbox;

import dev.weft.store.postgres.PrivatePostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Postgres of the test's own, stopped and started under a running consumer. */
class OutboxPostgresRestartTest {

    @Test
    void theConsumerResumesByItselfWhenPostgresComesBackAndNotificationsToo() throws Exception {
        try (PrivatePostgres postgres = new PrivatePostgres()) {
            OutboxDatabase db = new OutboxDatabase(postgres.dsn(), "outbox");
            RecordingCommands commands = new RecordingCommands();
            // An hour's poll: only the LISTEN connection, itself re-established, can wake the partition.
            try (OutboxConsumer consumer = new OutboxConsumer(db.config("restart").withPollInterval(
                    Duration.ofHours(1)).withNotificationChannel("centrifugo_partition_change"), commands).start()) {
                db.exec("SELECT weft_publish('news', '{\"n\":1}')");
                await().atMost(Duration.ofSeconds(10)).until(() -> commands.calls.size() == 1);

                postgres.kill();
                // The LISTEN thread loses its connection and wakes the partitions, which find Postgres gone.
                await().atMost(Duration.ofSeconds(10)).until(() -> consumer.unavailableReason() != null);
                postgres.start();
                db.exec("SELECT weft_publish('news', '{\"n\":2}')");
                await().atMost(Duration.ofSeconds(30)).until(() -> commands.calls.size() == 2);
                assertThat(commands.calls.get(1).payload()).contains("\"n\": 2");
                await().atMost(Duration.ofSeconds(10)).until(() -> consumer.unavailableReason() == null);
            }
        }
    }
}
