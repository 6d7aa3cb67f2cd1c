package dev.weft.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach Redis, with Centrifugo v6's {@code engine.redis.*} names and defaults.
 *
 * @param addresses      one or more Redis servers ({@code host:port}, {@code redis://[user:password@]host:port[/db]},
 *                       {@code rediss://…} for TLS); with several, channels are spread over them by consistent
 *                       hashing of the channel name, so every node must list the same servers in the same order
 * @param clusterAddresses Redis Clusters, each as comma-separated seed nodes ({@code "host:port,host:port"});
 *                       when set, {@code addresses} is not used and channels are spread over the clusters
 * @param prefix         prefix of every key and pub/sub channel, so several installations can share a Redis
 * @param user           ACL user, unless an address names one
 * @param password       password, unless an address names one
 * @param db             database number, unless an address names one
 * @param tls            connect with TLS
 * @param tlsInsecureSkipVerify accept any server certificate (tests only)
 * @param connectTimeout how long establishing a connection may take
 * @param ioTimeout      how long a command may take before it fails (a publish then returns an error)
 * @param sentinel       Redis Sentinel: when it names sentinels, the master they monitor is the one Redis (its
 *                       address is asked from them on every (re)connect) and {@code addresses} is not used;
 *                       {@code user}, {@code password}, {@code db} and {@code tls} apply to the master
 */
public record RedisEngineConfig(List<String> addresses, List<String> clusterAddresses, String prefix, String user,
                                String password, int db, boolean tls, boolean tlsInsecureSkipVerify,
                                Duration connectTimeout, Duration ioTimeout, RedisSentinelConfig sentinel) {

    public static final String DEFAULT_ADDRESS = "redis://127.0.0.1:6379";
    public static final String DEFAULT_PREFIX = "centrifugo";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(4);

    public RedisEngineConfig {
        addresses = addresses == null || addresses.isEmpty() ? List.of(DEFAULT_ADDRESS) : List.copyOf(addresses);
        clusterAddresses = clusterAddresses == null ? List.of() : List.copyOf(clusterAddresses);
        prefix = prefix == null || prefix.isEmpty() ? DEFAULT_PREFIX : prefix;
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (db < 0) {
            throw new IllegalArgumentException("engine.redis.db must not be negative, got " + db);
        }
        connectTimeout = positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connect_timeout");
        ioTimeout = positive(ioTimeout, DEFAULT_IO_TIMEOUT, "io_timeout");
        sentinel = sentinel == null ? RedisSentinelConfig.NONE : sentinel;
    }

    /** The defaults, on the given addresses and prefix. */
    public static RedisEngineConfig of(List<String> addresses, String prefix) {
        return new RedisEngineConfig(addresses, List.of(), prefix, "", "", 0, false, false, null, null, null);
    }

    /** The defaults: Redis at 127.0.0.1:6379, prefix {@code centrifugo}. */
    public static final RedisEngineConfig DEFAULT = of(List.of(), DEFAULT_PREFIX);

    public RedisEngineConfig withAddresses(List<String> v) {
        return new RedisEngineConfig(v, clusterAddresses, prefix, user, password,
                db, tls, tlsInsecureSkipVerify, connectTimeout, ioTimeout, sentinel);
    }

    public RedisEngineConfig withClusterAddresses(List<String> v) {
        return new RedisEngineConfig(addresses, v, prefix, user, password,
                db, tls, tlsInsecureSkipVerify, connectTimeout, ioTimeout, sentinel);
    }

    public RedisEngineConfig withPrefix(String v) {
        return new RedisEngineConfig(addresses, clusterAddresses, v, user, password,
                db, tls, tlsInsecureSkipVerify, connectTimeout, ioTimeout, sentinel);
    }

    public RedisEngineConfig withUser(String v) {
        return new RedisEngineConfig(addresses, clusterAddresses, prefix, v, password,
                db, tls, tlsInsecureSkipVerify, connectTimeout, ioTimeout, sentinel);
    }

    public RedisEngineConfig withPassword(String v) {
        return new RedisEngineConfig(addresses, clusterAddresses, prefix, user, v,
                db, tls, tlsInsecureSkipVerify, connectTimeout, ioTimeout, sentinel);
    }

    public RedisEngineConfig withDb(int v) {
        return new RedisEngineConfig(addresses, clusterAddresses, prefix, user, password,
                v, tls, tlsInsecureSkipVerify, connectTimeout, ioTimeout, sentinel);
    }

    public RedisEngineConfig withTls(boolean v) {
        return new RedisEngineConfig(addresses, clusterAddresses, prefix, user, password,
                db, v, tlsInsecureSkipVerify, connectTimeout, ioTimeout, sentinel);
    }

    public RedisEngineConfig withTlsInsecureSkipVerify(boolean v) {
        return new RedisEngineConfig(addresses, clusterAddresses, prefix, user, password,
                db, tls, v, connectTimeout, ioTimeout, sentinel);
    }

    public RedisEngineConfig withConnectTimeout(Duration v) {
        return new RedisEngineConfig(addresses, clusterAddresses, prefix, user, password,
                db, tls, tlsInsecureSkipVerify, v, ioTimeout, sentinel);
    }

    public RedisEngineConfig withIoTimeout(Duration v) {
        return new RedisEngineConfig(addresses, clusterAddresses, prefix, user, password,
                db, tls, tlsInsecureSkipVerify, connectTimeout, v, sentinel);
    }

    public RedisEngineConfig withSentinel(RedisSentinelConfig v) {
        return new RedisEngineConfig(addresses, clusterAddresses, prefix, user, password,
                db, tls, tlsInsecureSkipVerify, connectTimeout, ioTimeout, v);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null || value.isZero()) {
            return fallback;
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException("engine.redis." + name + " must be positive, got " + value);
        }
        return Objects.requireNonNull(value);
    }
}
