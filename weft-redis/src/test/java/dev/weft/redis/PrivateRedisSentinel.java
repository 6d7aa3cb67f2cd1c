package dev.weft.redis;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Redis master, one replica of it and a sentinel watching them under {@link #MASTER_NAME} (all
 * {@link PrivateRedis} on free ports). The sentinel fails over {@link #DOWN_AFTER} after the master stops
 * answering. Not thread-safe.
 */
public final class PrivateRedisSentinel implements AutoCloseable {

    public static final String MASTER_NAME = "weft-master";
    static final Duration DOWN_AFTER = Duration.ofSeconds(1);

    private final PrivateRedis master;
    private final PrivateRedis replica;
    private final PrivateRedis sentinel;

    public PrivateRedisSentinel() throws IOException, InterruptedException {
        List<PrivateRedis> started = new ArrayList<>();
        try {
            master = started(started, new PrivateRedis());
            replica = started(started, new PrivateRedis("--replicaof", "127.0.0.1", Integer.toString(master.port())));
            awaitReplicaInSync();
            sentinel = started(started, PrivateRedis.sentinel(MASTER_NAME, master, DOWN_AFTER));
            awaitUntil("the sentinel to see the replica", () -> sentinel("REPLICAS").size() == 1);
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (PrivateRedis redis : started) {
                redis.close();
            }
            throw e;
        }
    }

    private static PrivateRedis started(List<PrivateRedis> started, PrivateRedis redis) {
        started.add(redis);
        return redis;
    }

    /** A running setup for the JVM's tests, stopped when it exits. */
    public static PrivateRedisSentinel untilExit() {
        try {
            PrivateRedisSentinel setup = new PrivateRedisSentinel();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    setup.close();
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            }));
            return setup;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The engine configuration reaching the master through the sentinel, under {@code prefix}. */
    public RedisEngineConfig config(String prefix) {
        return RedisEngineConfig.of(List.of(), prefix).withSentinel(RedisSentinelConfig.NONE
                .withAddresses(List.of(sentinel.address())).withMasterName(MASTER_NAME));
    }

    /** The server the sentinel currently names master. */
    public String masterAddress() {
        List<Object> hostPort = sentinel("GET-MASTER-ADDR-BY-NAME");
        return hostPort.get(0) + ":" + hostPort.get(1);
    }

    public PrivateRedis master() {
        return master;
    }

    public PrivateRedis replica() {
        return replica;
    }

    /** {@code SENTINEL <subcommand> <master name>}, asked of the sentinel. */
    private List<Object> sentinel(String subcommand) {
        return RedisTestSupport.withRedis(sentinel.address(), r -> r.dispatch(CommandType.SENTINEL,
                new ArrayOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add(subcommand)
                        .add(MASTER_NAME)));
    }

    private void awaitReplicaInSync() throws InterruptedException {
        awaitUntil("the replica to sync", () -> RedisTestSupport.withRedis(replica.address(),
                r -> r.info("replication")).contains("master_link_status:up"));
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        sentinel.close();
        replica.close();
        master.close();
    }
}
