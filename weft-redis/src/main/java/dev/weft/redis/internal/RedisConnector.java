package dev.weft.redis.internal;

import dev.weft.redis.RedisEngineConfig;
import dev.weft.redis.RedisSentinelConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens the configured Redis deployments ({@code engine.redis.address} servers, the master Redis Sentinel
 * names, or the {@code engine.redis.cluster_address} clusters) with the options every Weft connection needs:
 * <ul>
 *   <li>commands to a single server fail instead of queueing while disconnected ({@code REJECT_COMMANDS}), so a
 *       publish during an outage returns an error at once rather than succeeding late or never (in a cluster
 *       they wait at most {@code io_timeout}, see {@link #clusterClient});
 *   <li>at most {@link #REQUEST_QUEUE_SIZE} commands in flight per connection, and each fails after
 *       {@code io_timeout}: a slow Redis makes callers fail, it never grows a buffer without bound;
 *   <li>reconnection in the background; pub/sub connections resubscribe their channels when back;
 *   <li>for a cluster, the topology is refreshed every {@link #TOPOLOGY_REFRESH} and on MOVED/ASK redirects
 *       and reconnects.
 * </ul>
 */
public final class RedisConnector {

    /** Commands one connection may have in flight before new ones are refused. */
    public static final int REQUEST_QUEUE_SIZE = 10_000;
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

    private RedisConnector() {
    }

    /**
     * One shard per configured server or cluster, in order, sharing {@code resources}; with a {@code listener}
     * each also gets a pub/sub connection delivering to it.
     */
    public static List<Shard> shards(RedisEngineConfig config, ClientResources resources, Shard.Listener listener) {
        List<Shard> shards = new ArrayList<>();
        try {
            if (!config.sentinel().addresses().isEmpty()) {
                if (!config.clusterAddresses().isEmpty()) {
                    throw new IllegalArgumentException(
                            "engine.redis.sentinel_address and engine.redis.cluster_address exclude each other");
                }
                shards.add(standalone(sentinelUri(config), config, resources, listener));
            } else if (!config.clusterAddresses().isEmpty()) {
                for (String cluster : config.clusterAddresses()) {
                    shards.add(new ClusterShard(clusterClient(cluster, config, resources), listener));
                }
            } else {
                for (String address : config.addresses()) {
                    shards.add(standalone(uri(address, config), config, resources, listener));
                }
            }
        } catch (RuntimeException e) {
            shards.forEach(Shard::close);
            throw e;
        }
        return shards;
    }

    private static Shard standalone(RedisURI uri, RedisEngineConfig config, ClientResources resources,
                                    Shard.Listener listener) {
        RedisClient client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder();
        common(options, config);
        client.setOptions(options.build());
        return new StandaloneShard(client, listener);
    }

    /**
     * The master the sentinels monitor. Lettuce asks the sentinels for its address on every connect and
     * reconnect, so after a failover (which drops the old master's connections: it is dead, or Sentinel kills
     * its clients when turning it into a replica) both connections come back on the new master, the pub/sub
     * one resubscribing its channels.
     */
    static RedisURI sentinelUri(RedisEngineConfig config) {
        RedisSentinelConfig sentinel = config.sentinel();
        if (sentinel.masterName().isEmpty()) {
            throw new IllegalArgumentException("engine.redis.sentinel_address needs engine.redis.sentinel_master_name");
        }
        RedisURI.Builder builder = secured(RedisURI.builder().withSentinelMasterId(sentinel.masterName())
                .withDatabase(config.db()).withTimeout(config.ioTimeout()), config.tls(),
                config.tlsInsecureSkipVerify(), config.user(), config.password());
        List<RedisURI> sentinels = new ArrayList<>();
        for (String address : sentinel.addresses()) {
            builder.withSentinel(sentinelNode(address, sentinel));
            sentinels.add(sentinelNode(address, sentinel));
        }
        RedisURI uri = builder.build();
        // build() gives the sentinels the master's TLS settings; sentinel_tls is their own.
        uri.getSentinels().clear();
        uri.getSentinels().addAll(sentinels);
        return uri;
    }

    private static RedisURI sentinelNode(String address, RedisSentinelConfig sentinel) {
        String text = address.trim();
        int colon = text.lastIndexOf(':');
        int port;
        try {
            port = colon < 0 ? RedisURI.DEFAULT_SENTINEL_PORT : Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("engine.redis.sentinel_address: cannot read '" + address + "'", e);
        }
        return secured(RedisURI.builder().withHost(colon < 0 ? text : text.substring(0, colon)).withPort(port),
                sentinel.tls(), sentinel.tlsInsecureSkipVerify(), sentinel.user(), sentinel.password()).build();
    }

    /** TLS and credentials on a URI being built; an empty password means none, an empty user the default. */
    private static RedisURI.Builder secured(RedisURI.Builder builder, boolean tls, boolean insecure, String user,
                                            String password) {
        builder.withSsl(tls);
        if (tls && insecure) {
            builder.withVerifyPeer(SslVerifyMode.NONE);
        }
        if (!password.isEmpty()) {
            if (user.isEmpty()) {
                builder.withPassword(password.toCharArray());
            } else {
                builder.withAuthentication(user, password);
            }
        }
        return builder;
    }

    /**
     * Small thread pools (Redis I/O is light next to the server's own event loops), and reconnect attempts
     * 50 ms apart at first, backing off to every 2 s: a Redis that is back is used again within seconds.
     */
    public static ClientResources resources() {
        return DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    /** A cluster from its seed nodes, {@code "host:port,host:port"} as Centrifugo writes them. */
    private static RedisClusterClient clusterClient(String seeds, RedisEngineConfig config, ClientResources resources) {
        List<RedisURI> uris = new ArrayList<>();
        for (String seed : seeds.split(",")) {
            if (!seed.isBlank()) {
                uris.add(uri(seed, config));
            }
        }
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("engine.redis.cluster_address: no seed node in '" + seeds + "'");
        }
        RedisClusterClient client = RedisClusterClient.create(resources, uris);
        ClusterClientOptions.Builder options = ClusterClientOptions.builder();
        common(options, config);
        // Connections to cluster nodes open lazily, on a node's first command: refusing commands while not
        // connected would refuse those first commands. A command to a node that is down waits in the
        // bounded queue and fails after io_timeout instead.
        options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.DEFAULT);
        options.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                .enableAllAdaptiveRefreshTriggers()
                .build());
        client.setOptions(options.build());
        return client;
    }

    private static void common(ClientOptions.Builder options, RedisEngineConfig config) {
        options.autoReconnect(true);
        options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        options.requestQueueSize(REQUEST_QUEUE_SIZE);
        options.socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build());
        options.timeoutOptions(TimeoutOptions.enabled(config.ioTimeout()));
        // Redis Enterprise's maintenance push messages: a plain Redis refuses the handshake for them.
        options.maintNotificationsConfig(MaintNotificationsConfig.disabled());
    }

    /**
     * An address as Centrifugo takes it: {@code host:port} or a {@code redis://} / {@code rediss://} URI; user,
     * password and db from the config fill in what the address leaves out.
     */
    static RedisURI uri(String address, RedisEngineConfig config) {
        String text = address.trim();
        if (!text.contains("://")) {
            text = (config.tls() ? "rediss://" : "redis://") + text;
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("engine.redis.address: cannot read '" + address + "': "
                    + e.getMessage(), e);
        }
        boolean addressHasCredentials = text.substring(text.indexOf("://") + 3).contains("@");
        if (!addressHasCredentials && !config.password().isEmpty()) {
            if (config.user().isEmpty()) {
                uri.setAuthentication(config.password());
            } else {
                uri.setAuthentication(config.user(), config.password());
            }
        }
        if (uri.getDatabase() == 0 && config.db() != 0) {
            uri.setDatabase(config.db());
        }
        if (config.tls()) {
            uri.setSsl(true);
        }
        if (uri.isSsl() && config.tlsInsecureSkipVerify()) {
            uri.setVerifyPeer(SslVerifyMode.NONE);
        }
        uri.setTimeout(config.ioTimeout());
        return uri;
    }
}
