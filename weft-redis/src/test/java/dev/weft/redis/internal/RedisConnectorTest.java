package dev.weft.redis.internal;

import dev.weft.redis.RedisEngineConfig;
import dev.weft.redis.RedisSentinelConfig;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@code engine.redis.sentinel_*} become the URI Lettuce asks the sentinels with. */
class RedisConnectorTest {

    private static final RedisEngineConfig MASTER = RedisEngineConfig.of(List.of(), "weft").withUser("app")
            .withPassword("master-secret").withDb(3).withTls(true);

    @Test
    void sentinelsGetTheirOwnCredentialsAndTlsAndTheMasterTheEngines() {
        RedisURI uri = RedisConnector.sentinelUri(MASTER.withSentinel(new RedisSentinelConfig(
                List.of("10.0.0.1:26380", "sentinel.example"), "mymaster", "watcher", "sentinel-secret", true, true)));

        assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(uri.getDatabase()).isEqualTo(3);
        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
        assertThat(credentials(uri)).isEqualTo("app:master-secret");
        assertThat(uri.getSentinels()).extracting(RedisURI::getHost, RedisURI::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.1", 26380),
                        org.assertj.core.groups.Tuple.tuple("sentinel.example", RedisURI.DEFAULT_SENTINEL_PORT));
        assertThat(uri.getSentinels()).allSatisfy(sentinel -> {
            assertThat(sentinel.isSsl()).isTrue();
            assertThat(sentinel.getVerifyMode()).isEqualTo(SslVerifyMode.NONE);
            assertThat(credentials(sentinel)).isEqualTo("watcher:sentinel-secret");
        });
    }

    @Test
    void sentinelsWithoutAMasterNameOrBesideClustersAreRefused() {
        RedisSentinelConfig unnamed = RedisSentinelConfig.NONE.withAddresses(List.of("127.0.0.1:26379"));
        assertThatThrownBy(() -> RedisConnector.sentinelUri(MASTER.withSentinel(unnamed)))
                .hasMessageContaining("sentinel_master_name");
        RedisEngineConfig both = MASTER.withSentinel(unnamed.withMasterName("m"))
                .withClusterAddresses(List.of("127.0.0.1:7000"));
        assertThatThrownBy(() -> RedisConnector.shards(both, null, null)).hasMessageContaining("exclude each other");
    }

    private static String credentials(RedisURI uri) {
        RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
        return credentials.getUsername() + ":" + new String(credentials.getPassword());
    }
}
