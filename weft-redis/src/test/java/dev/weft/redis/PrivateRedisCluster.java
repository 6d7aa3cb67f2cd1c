package dev.weft.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of three private masters ({@code redis-server --cluster-enabled yes} on free ports, joined
 * with {@code redis-cli --cluster create}), stopped by {@link #close} or when the JVM exits. Not thread-safe.
 */
public final class PrivateRedisCluster implements AutoCloseable {

    private final List<PrivateRedis> nodes = new ArrayList<>();

    private PrivateRedisCluster() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            nodes.add(PrivateRedis.untilExit("--cluster-enabled", "yes", "--cluster-node-timeout", "2000"));
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> create.add(n.address()));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process process = new ProcessBuilder(create).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not become ready");
            }
            Thread.sleep(100);
        }
    }

    /** A running cluster for the JVM's tests. */
    public static PrivateRedisCluster untilExit() {
        try {
            return new PrivateRedisCluster();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The seed nodes as {@code engine.redis.cluster_address} takes them: "host:port,host:port,…". */
    public String seeds() {
        return String.join(",", nodes.stream().map(PrivateRedis::address).toList());
    }

    public List<PrivateRedis> nodes() {
        return nodes;
    }

    /** Stops every node now (they would be stopped when the JVM exits anyway). */
    @Override
    public void close() throws InterruptedException {
        for (PrivateRedis node : nodes) {
            node.close();
        }
    }

    private boolean ready() {
        for (PrivateRedis node : nodes) {
            String info = RedisTestSupport.withRedis(node.address(), r -> r.clusterInfo());
            if (!info.contains("cluster_state:ok")) {
                return false;
            }
        }
        return true;
    }
}
