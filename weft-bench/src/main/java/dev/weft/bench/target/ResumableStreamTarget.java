package dev.weft.bench.target;

import dev.weft.bench.load.Dialect;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code resumable-stream} (npm) with Redis behind a small Node HTTP server ({@code targets/resumable-stream/server.mjs},
 * versions pinned by its package-lock): how Node backends serve resumable AI token streams today. Each run
 * starts a private {@code redis-server} ({@link PrivateBroker}) for it; the Node process is the server, Redis
 * the broker whose CPU is reported beside it. Only the {@code ai-streams} scenario speaks its HTTP API.
 */
public final class ResumableStreamTarget implements Target {

    @Override
    public String name() {
        return "resumable-stream";
    }

    @Override
    public Dialect dialect() {
        throw new UnsupportedOperationException("resumable-stream serves AI token streams over HTTP only:"
                + " run it with the ai-streams scenario");
    }

    @Override
    public Running start(TargetEnvironment env, boolean trackNativeMemory) throws Exception {
        var dir = env.benchHome().resolve("targets/resumable-stream");
        NodePackages.install(dir, "resumable-stream");
        PrivateBroker redis = PrivateBroker.start(ClusterTarget.Engine.REDIS, env);
        try {
            int port = ServerProcess.freePort();
            ServerProcess node = ServerProcess.start(List.of("node", dir.resolve("server.mjs").toString()),
                    Map.of("PORT", Integer.toString(port), "REDIS_URL", redis.url()), dir, env.log(name()), port);
            return new WithRedis(node, port, redis);
        } catch (Exception e) {
            redis.close();
            throw e;
        }
    }

    /** The Node server and its Redis, stopped together. */
    private record WithRedis(ServerProcess node, int port, PrivateBroker redis) implements Running {
        @Override
        public long pid() {
            return node.pid();
        }

        @Override
        public URI base() {
            return URI.create("ws://127.0.0.1:" + port);
        }

        @Override
        public OptionalLong brokerPid() {
            return OptionalLong.of(redis.pid());
        }

        @Override
        public MemorySample memory() throws Exception {
            return new MemorySample(ProcStats.rssBytes(node.pid()), -1, -1);
        }

        @Override
        public boolean alive() {
            return node.alive() && redis.alive();
        }

        @Override
        public void close() {
            try {
                node.close();
            } finally {
                redis.close();
            }
        }
    }
}
