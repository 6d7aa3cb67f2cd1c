package dev.weft.store.sqlite;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStore.StoredDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durability against a real crash: a child JVM appends (and compacts) until it is killed with SIGKILL mid-write;
 * every append it saw return must be in the file afterwards, in order, with nothing torn or duplicated.
 */
class SqliteKillTest {

    private static final int ACKNOWLEDGED_BEFORE_KILL = 300;

    @TempDir
    Path dataDirectory;

    @Test
    void everyReturnedAppendSurvivesSigkill() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                AppendingChild.class.getName(), dataDirectory.toString())
                .redirectErrorStream(true)
                .start();
        List<String> acknowledged = new ArrayList<>();
        List<String> otherOutput = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            String line;
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    acknowledged.add(line.substring("acked ".length()));
                } else {
                    otherOutput.add(line);
                }
            }
            // destroyForcibly is SIGKILL on Linux: no shutdown hooks, no close, possibly mid-transaction.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("child output: %s", otherOutput).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

        try (DocumentStore reopened = SqliteDocumentStore.open(dataDirectory)) {
            StoredDocument loaded = reopened.load(AppendingChild.DOCUMENT);
            List<String> stored = loaded.updates().stream()
                    .flatMap(update -> Arrays.stream(new String(update, UTF_8).split("\\|")))
                    .toList();
            // Appends that ran but were not yet printed may be there too; nothing may be missing or out of order.
            assertThat(stored).hasSizeGreaterThanOrEqualTo(acknowledged.size());
            assertThat(stored).containsExactlyElementsOf(IntStream.range(0, stored.size()).mapToObj(i -> "u" + i).toList());
            assertThat(stored.subList(0, acknowledged.size())).containsExactlyElementsOf(acknowledged);
        }
    }
}
