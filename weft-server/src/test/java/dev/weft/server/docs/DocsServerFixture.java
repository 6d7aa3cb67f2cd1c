package dev.weft.server.docs;

import com.nimbusds.jose.JWSAlgorithm;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.auth.TestTokens;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.server.WeftServer;
import dev.weft.server.config.DocsConfig;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A server for the document dialect tests: namespace {@code docs} lets authenticated clients read and write,
 * {@code view} lets them read only; channels without namespace are closed. Tokens are HMAC
 * ({@link TestTokens#SECRET}); the server API key is {@value #API_KEY}.
 */
public final class DocsServerFixture {
    public static final String API_KEY = "docs-api-key";

    private DocsServerFixture() {
    }

    /** Channels in memory; a {@code sqlite} document store would write under the working directory. */
    public static WeftServer start(DocsConfig docs) {
        return start(docs, client -> { });
    }

    /** Documents (when {@code docs.store} is {@code sqlite}) under {@code dataDir}; channels in memory. */
    public static WeftServer start(DocsConfig docs, Path dataDir) {
        return start(docs, dataDir, client -> { });
    }

    /** With more client options ({@code client.channel_limit}, …). */
    public static WeftServer start(DocsConfig docs, Consumer<ClientOptions.Builder> more) {
        return start(docs, null, more);
    }

    private static WeftServer start(DocsConfig docs, Path dataDir, Consumer<ClientOptions.Builder> more) {
        ChannelOptions write = ChannelOptions.builder().allowSubscribeForClient(true)
                .allowPublishForSubscriber(true).build();
        ChannelOptions read = ChannelOptions.builder().allowSubscribeForClient(true).build();
        ClientOptions.Builder builder = ClientOptions.builder().tokenHmacSecretKey(TestTokens.SECRET);
        more.accept(builder);
        ClientOptions client = builder.build();
        WeftConfig config = WeftConfig.DEFAULT
                .withNode(NodeConfig.DEFAULT.withClient(client).withChannels(ChannelConfig.DEFAULT.withNamespaces(
                        ChannelOptions.DEFAULT, List.of(new Namespace("docs", write), new Namespace("view", read)))))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(API_KEY, false))
                .withDocs(docs)
                .withEngine(EngineConfig.MEMORY);
        if (dataDir != null) {
            config = config.withDataDir(dataDir.toString());
        }
        return WeftServer.start(config);
    }

    /** Documents in memory, an hour of unload grace. */
    public static DocsConfig memory() {
        return DocsConfig.DEFAULT.withStore("memory").withUnloadGrace(Duration.ofHours(1));
    }

    /** A connection token for {@code user}, valid for an hour. */
    public static String token(String user) {
        return token(user, Map.of());
    }

    /** A connection token for {@code user} with more claims, valid for an hour. */
    public static String token(String user, Map<String, ?> extra) {
        Map<String, Object> claims = new LinkedHashMap<>(extra);
        claims.put("sub", user);
        claims.put("exp", TestTokens.now() + 3600);
        return TestTokens.hmac(JWSAlgorithm.HS256, TestTokens.SECRET, TestTokens.claims(claims));
    }
}
