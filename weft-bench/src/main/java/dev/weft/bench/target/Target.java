package dev.weft.bench.target;

import dev.weft.bench.load.Dialect;

import java.util.List;
import java.util.OptionalLong;

/** A server the harness compares: how to start it on loopback, and how the generator speaks to it. */
public interface Target {

    /** Short name used on the command line and in results: {@code weft}, {@code socketio}, … */
    String name();

    Dialect dialect();

    /**
     * Starts a fresh instance.
     *
     * @param trackNativeMemory measure off-heap memory (JVM targets run with native memory tracking, which
     *                          costs a little CPU, so only memory scenarios ask for it)
     */
    Running start(TargetEnvironment env, boolean trackNativeMemory) throws Exception;

    /** A started instance. */
    interface Running extends AutoCloseable {
        /** The process whose CPU and memory are measured. */
        long pid();

        /** {@code ws://127.0.0.1:<port>}. */
        java.net.URI base();

        /** Every node's {@code ws://127.0.0.1:<port>}, {@link #base()} first; one for a single server. */
        default List<java.net.URI> bases() {
            return List.of(base());
        }

        /** Every server process whose CPU counts as the target's (all nodes of a cluster). */
        default List<Long> pids() {
            return List.of(pid());
        }

        /** The Redis or NATS server behind a cluster, whose CPU is reported apart; empty when there is none. */
        default OptionalLong brokerPid() {
            return OptionalLong.empty();
        }

        /** Memory now, after a full collection where the runtime allows forcing one. */
        MemorySample memory() throws Exception;

        /** Whether the process still runs (a crash under load is a result, not a harness error). */
        boolean alive();

        @Override
        void close();
    }
}
