package dev.weft.redis;

import java.util.List;

/**
 * Redis Sentinel, with Centrifugo v6's {@code engine.redis.sentinel_*} names: the sentinels to ask where the
 * master is. The master's own credentials, database and TLS are the engine's {@code user}, {@code password},
 * {@code db} and {@code tls}.
 *
 * @param addresses             sentinels, {@code host:port} ({@code sentinel_address}); empty: no Sentinel
 * @param masterName            the name the sentinels monitor the master under ({@code sentinel_master_name})
 * @param user                  ACL user on the sentinels ({@code sentinel_user})
 * @param password              password on the sentinels ({@code sentinel_password})
 * @param tls                   talk to the sentinels over TLS ({@code sentinel_tls.enabled})
 * @param tlsInsecureSkipVerify accept any sentinel certificate ({@code sentinel_tls.insecure_skip_verify})
 */
public record RedisSentinelConfig(List<String> addresses, String masterName, String user, String password,
                                  boolean tls, boolean tlsInsecureSkipVerify) {

    /** No Sentinel. */
    public static final RedisSentinelConfig NONE = new RedisSentinelConfig(List.of(), "", "", "", false, false);

    public RedisSentinelConfig {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        masterName = masterName == null ? "" : masterName;
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    public RedisSentinelConfig withAddresses(List<String> v) {
        return new RedisSentinelConfig(v, masterName, user, password, tls, tlsInsecureSkipVerify);
    }

    public RedisSentinelConfig withMasterName(String v) {
        return new RedisSentinelConfig(addresses, v, user, password, tls, tlsInsecureSkipVerify);
    }

    public RedisSentinelConfig withUser(String v) {
        return new RedisSentinelConfig(addresses, masterName, v, password, tls, tlsInsecureSkipVerify);
    }

    public RedisSentinelConfig withPassword(String v) {
        return new RedisSentinelConfig(addresses, masterName, user, v, tls, tlsInsecureSkipVerify);
    }

    public RedisSentinelConfig withTls(boolean v) {
        return new RedisSentinelConfig(addresses, masterName, user, password, v, tlsInsecureSkipVerify);
    }

    public RedisSentinelConfig withTlsInsecureSkipVerify(boolean v) {
        return new RedisSentinelConfig(addresses, masterName, user, password, tls, v);
    }
}
