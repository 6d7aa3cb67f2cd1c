package dev.weft.postgres.changes;

import dev.weft.core.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Every configured change stream of a server, started together and stopped together. Thread-safe. */
public final class ChangeStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeStreams.class);
    private final List<ChangeStream> streams;

    private ChangeStreams(List<ChangeStream> streams) {
        this.streams = List.copyOf(streams);
    }

    /** Starts one {@link ChangeStream} per config; each connects (and reconnects) on its own thread. */
    public static ChangeStreams start(List<ChangeStreamConfig> configs, Node node) {
        List<ChangeStream> streams = new ArrayList<>();
        for (ChangeStreamConfig config : configs) {
            ChangeStream stream = new ChangeStream(config, node);
            stream.start();
            streams.add(stream);
        }
        return new ChangeStreams(streams);
    }

    public List<ChangeStream> streams() {
        return streams;
    }

    /** Stops every stream; each confirms what it published before its connection closes. */
    @Override
    public void close() {
        for (ChangeStream stream : streams) {
            try {
                stream.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("interrupted while stopping change stream {}", stream.config().name());
                return;
            }
        }
    }
}
