package dev.weft.bench.target;

import dev.weft.bench.load.Dialect;
import dev.weft.bench.load.WeftDialect;
import dev.weft.protocol.ProtocolType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * {@code nodes} Weft nodes ({@code ./weft serve} with {@code targets/weft-bench.json}, JSON clients) sharing one
 * Redis or NATS server that the harness starts for the run ({@link PrivateBroker}), with history on for every
 * channel (size 1 000, TTL 300 s), so each publication goes through the engine's history append and its
 * fan-out between nodes. Named {@code weft-<engine>-<nodes>}, e.g. {@code weft-redis-3}.
 */
public final class ClusterTarget implements Target {

    /** The engines a cluster can share. */
    public enum Engine {
        REDIS, NATS;

        public static Engine parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final Engine engine;
    private final int nodes;

    public ClusterTarget(Engine engine, int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + nodes);
        }
        this.engine = engine;
        this.nodes = nodes;
    }

    /** One target per engine × node count, engines outermost: the order results list them. */
    public static List<Target> of(List<Engine> engines, List<Integer> nodeCounts) {
        List<Target> targets = new ArrayList<>();
        for (Engine engine : engines) {
            for (int count : nodeCounts) {
                targets.add(new ClusterTarget(engine, count));
            }
        }
        return targets;
    }

    @Override
    public String name() {
        return "weft-" + engine.name().toLowerCase(Locale.ROOT) + "-" + nodes;
    }

    @Override
    public Dialect dialect() {
        return new WeftDialect(ProtocolType.JSON);
    }

    @Override
    public Running start(TargetEnvironment env, boolean trackNativeMemory) throws Exception {
        PrivateBroker broker = PrivateBroker.start(engine, env);
        List<ServerProcess> started = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        // A prefix of the run's own, as on a shared server, so nothing of another run can be read back.
        String prefix = "weftbench-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            for (int i = 0; i < nodes; i++) {
                int port = ServerProcess.freePort();
                List<String> args = new ArrayList<>(List.of("serve",
                        "--config", env.benchHome().resolve("targets/weft-bench.json").toString(),
                        "--address", "127.0.0.1", "--port", Integer.toString(port)));
                for (String setting : nodeSettings(engine, broker.url(), prefix, i,
                        env.runDir().resolve("node-" + i + "-" + port).toString())) {
                    args.add("--set");
                    args.add(setting);
                }
                List<String> command = env.java().command("dev.weft.server.Main", trackNativeMemory,
                        env.flightRecording(name() + "-node" + i), args);
                started.add(ServerProcess.start(command, Map.of(), env.runDir(), env.log(name() + "-node" + i), port));
                ports.add(port);
            }
        } catch (Exception e) {
            started.forEach(ServerProcess::close);
            broker.close();
            throw e;
        }
        return new ClusterRunning(started, ports, broker);
    }

    /** The {@code --set} overrides that turn the bench config into node {@code index} of this cluster. */
    static List<String> nodeSettings(Engine engine, String brokerUrl, String prefix, int index, String dataDir) {
        List<String> settings = new ArrayList<>();
        switch (engine) {
            case REDIS -> {
                settings.add("engine.type=redis");
                settings.add("engine.redis.address=" + brokerUrl);
                settings.add("engine.redis.prefix=" + prefix);
            }
            case NATS -> {
                settings.add("engine.type=nats");
                settings.add("engine.nats.url=" + brokerUrl);
                settings.add("engine.nats.prefix=" + prefix);
            }
        }
        settings.add("channel.without_namespace.history_size=1000");
        settings.add("channel.without_namespace.history_ttl=300s");
        settings.add("node.name=node" + index);
        settings.add("data_dir=" + dataDir);
        return settings;
    }

    /** The started nodes and their broker; closing stops the nodes first, then the broker. */
    private record ClusterRunning(List<ServerProcess> nodes, List<Integer> ports, PrivateBroker broker)
            implements Running {

        @Override
        public long pid() {
            return nodes.getFirst().pid();
        }

        @Override
        public URI base() {
            return bases().getFirst();
        }

        @Override
        public List<URI> bases() {
            return ports.stream().map(p -> URI.create("ws://127.0.0.1:" + p)).toList();
        }

        @Override
        public List<Long> pids() {
            return nodes.stream().map(ServerProcess::pid).toList();
        }

        @Override
        public OptionalLong brokerPid() {
            return OptionalLong.of(broker.pid());
        }

        @Override
        public MemorySample memory() {
            throw new UnsupportedOperationException("memory is measured on single servers (idle), not clusters");
        }

        @Override
        public boolean alive() {
            return broker.alive() && nodes.stream().allMatch(ServerProcess::alive);
        }

        @Override
        public void close() {
            nodes.forEach(ServerProcess::close);
            broker.close();
        }
    }
}
