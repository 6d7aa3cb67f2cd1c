package dev.weft.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The NATS server the tests share ({@code WEFT_NATS_URL}, default the machine's 127.0.0.1:4222). Each
 * fixture works under its own random prefix and deletes the stream and buckets it made when closed, so test
 * runs never see each other's data.
 */
public final class SharedNats implements AutoCloseable {

    public static final String URL = System.getenv().getOrDefault("WEFT_NATS_URL", "nats://127.0.0.1:4222");

    final String url;
    final String prefix = "wefttest-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<NatsEngine> engines = new ArrayList<>();

    SharedNats() {
        this(URL);
    }

    SharedNats(String url) {
        this.url = url;
        System.out.println("NATS fixture " + prefix + " on " + url);
    }

    NatsEngineConfig config() {
        return NatsEngineConfig.of(url, prefix);
    }

    /** A new engine (a node of its own, with its own connection), closed by {@link #close()}. */
    synchronized NatsEngine engine() {
        NatsEngine engine = NatsEngine.open(config());
        engines.add(engine);
        return engine;
    }

    /** Closes every engine and deletes the stream and buckets of this fixture's prefix. */
    @Override
    public synchronized void close() throws Exception {
        for (NatsEngine engine : engines) {
            try {
                engine.close();
            } catch (RuntimeException e) {
                System.out.println("closing an engine failed: " + e); // the deletes below must still run
            }
        }
        engines.clear();
        deletePrefix(url, prefix);
    }

    /** Deletes the history stream and KV buckets an engine with {@code prefix} made on {@code url}. */
    public static void deletePrefix(String url, String prefix) throws Exception {
        try (Connection connection = Nats.connect(url)) {
            JetStreamManagement management = connection.jetStreamManagement();
            for (String name : List.of(NatsEngine.resourceName(prefix, "HISTORY"),
                    "KV_" + NatsEngine.resourceName(prefix, "IDEMPOTENCY"),
                    "KV_" + NatsEngine.resourceName(prefix, "PRESENCE"),
                    "KV_" + NatsEngine.resourceName(prefix, "REVOCATIONS"))) {
                try {
                    management.deleteStream(name);
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() != 10059) { // 10059: not created under this prefix
                        throw e;
                    }
                }
            }
        }
    }
}
