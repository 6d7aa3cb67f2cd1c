package dev.weft.bench.target;

import java.net.URI;

/** A target running as a child process serving WebSocket on {@code port}; memory read the target's own way. */
record ProcessRunning(ServerProcess process, int port, MemoryProbe probe) implements Target.Running {

    /** How a target's memory is read (Go: RSS only; Node: its own endpoint; JVM: jcmd). */
    @FunctionalInterface
    interface MemoryProbe {
        MemorySample sample(ServerProcess process, int port) throws Exception;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public URI base() {
        return URI.create("ws://127.0.0.1:" + port);
    }

    @Override
    public MemorySample memory() throws Exception {
        return probe.sample(process, port);
    }

    @Override
    public boolean alive() {
        return process.alive();
    }

    @Override
    public void close() {
        process.close();
    }
}
