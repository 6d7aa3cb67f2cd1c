package dev.weft.server;

import dev.weft.server.cli.CheckConfig;
import dev.weft.server.cli.ConfigSource;
import dev.weft.server.cli.GenConfig;
import dev.weft.server.cli.GenToken;
import dev.weft.server.cli.OutboxSql;
import dev.weft.server.config.LoadedConfig;
import dev.weft.server.config.WeftConfig;
import dev.weft.server.emulation.EmulationEndpoint;
import dev.weft.server.emulation.HttpStreamEndpoint;
import dev.weft.server.emulation.SseConnectionEndpoint;
import dev.weft.server.sse.SseEndpoint;
import dev.weft.server.websocket.WebSocketEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Command line: {@code weft serve [--config FILE] [--port N] [--address A] [--set key=value ...]},
 * {@code weft version}, {@code weft outbox-sql}, and Centrifugo's {@code genconfig}, {@code checkconfig} and
 * {@code gentoken}. SIGTERM / Ctrl-C drain gracefully (clients get 3001 "shutdown" and reconnect).
 */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Real-time server speaking the Centrifugo client protocol v2.",
        subcommands = {Main.Serve.class, Main.PrintVersion.class, GenConfig.class, CheckConfig.class, GenToken.class,
                OutboxSql.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
        // On success let the JVM end by itself: `serve` returns only after the server has stopped, and
        // System.exit from here could race the shutdown hook that is stopping it.
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing command: serve, version, genconfig, checkconfig or gentoken");
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the server. Options are read from defaults, then the config file, then "
                    + "WEFT_* environment variables, then these flags.")
    static final class Serve implements Callable<Integer> {
        private static final Logger log = LoggerFactory.getLogger(Main.class);

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigSource source;

        @Option(names = "--port", paramLabel = "N", description = "Port to listen on (http_server.port).")
        Integer port;

        @Option(names = "--address", paramLabel = "A",
                description = "Address to listen on, empty for all (http_server.address).")
        String address;

        @Override
        public Integer call() {
            Map<String, String> flags = new LinkedHashMap<>();
            if (port != null) {
                flags.put("http_server.port", port.toString());
            }
            if (address != null) {
                flags.put("http_server.address", address);
            }
            LoadedConfig loaded = source.load(flags, spec.commandLine().getErr());
            if (loaded == null) {
                return 2;
            }
            WeftConfig weftConfig = loaded.config();
            LogSetup.apply(weftConfig.log());
            for (String warning : loaded.warnings()) {
                log.warn("config: {}", warning);
            }
            WeftServer server;
            try {
                server = WeftServer.start(weftConfig);
            } catch (RuntimeException e) {
                log.error("weft: {}", e.getMessage());
                return 1;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "weft-shutdown"));
            logUrls(server);
            server.awaitClosed();
            return 0;
        }

        /** {@code localhost:port}, or {@code address:port} for a specific interface. */
        private static String base(String address, int port) {
            if (!address.isEmpty() && !address.equals("0.0.0.0") && !address.equals("::")) {
                return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
            }
            return "localhost:" + port;
        }

        /** Where the engine keeps channel history (addresses are left out: they may carry a password). */
        private static String historyPlace(WeftConfig config) {
            if (config.engine().type().equals("redis")) {
                return "Redis Streams, prefix " + config.engine().redis().prefix() + " (shared by the nodes on it)";
            }
            if (config.engine().natsEngine() != null) {
                return "NATS JetStream, prefix " + config.engine().natsEngine().prefix() + " (shared by the nodes on it)";
            }
            return config.engine().type().equals("sqlite")
                    ? "SQLite under " + java.nio.file.Path.of(config.dataDir()).toAbsolutePath()
                    : "in memory (lost on restart)";
        }

        private static void logUrls(WeftServer server) {
            WeftConfig config = server.config();
            String base = base(config.httpServer().address(), server.port());
            String internal = base(config.httpServer().internalAddressOrMain(), server.internalPort());
            boolean tls = config.httpServer().tls().enabled();
            String http = tls ? "https" : "http";
            String ws = tls ? "wss" : "ws";
            log.info("Weft {} serving{}:", Version.current(), tls ? " over TLS (HTTP/2 and HTTP/1.1)"
                    : config.httpServer().h2cExternal() ? " (HTTP/1.1 and h2c)" : "");
            log.info("  {}://{}{}", ws, base, WebSocketEndpoint.PATH);
            var emulation = config.emulation();
            if (emulation.httpStreamEnabled()) {
                log.info("  {}://{}{}  (bidirectional emulation)", http, base, HttpStreamEndpoint.PATH);
            }
            if (emulation.sseEnabled()) {
                log.info("  {}://{}{}  (bidirectional emulation)", http, base, SseConnectionEndpoint.PATH);
            }
            if (emulation.emulationEnabled()) {
                log.info("  {}://{}{}  (commands of emulated connections)", http, base, EmulationEndpoint.PATH);
            }
            var uni = config.uni();
            if (uni.sse().enabled()) {
                log.info("  {}://{}{}", http, base, uni.sse().handlerPrefix());
            }
            if (uni.httpStream().enabled()) {
                log.info("  {}://{}{}", http, base, uni.httpStream().handlerPrefix());
            }
            if (uni.websocket().enabled()) {
                log.info("  {}://{}{}", ws, base, uni.websocket().handlerPrefix());
            }
            if (config.plainSse().enabled()) {
                log.info("  http://{}{}<channel>  (EventSource)", base, SseEndpoint.PREFIX);
            }
            var docs = config.docs();
            if (docs.yjsEnabled()) {
                log.info("  {}://{}/yjs/<room>  (y-websocket)", ws, base);
            }
            if (docs.hocuspocusEnabled()) {
                log.info("  {}://{}/hocuspocus  (Hocuspocus)", ws, base);
            }
            if (docs.enabled()) {
                log.info("  documents: {}", switch (docs.store()) {
                    case "sqlite" -> "SQLite under " + java.nio.file.Path.of(config.dataDir()).toAbsolutePath();
                    case "postgres" -> "Postgres, schema " + docs.postgres().schema() + " (shared by the nodes on it)";
                    default -> "in memory";
                });
            }
            log.info("  channel history: {}", historyPlace(config));
            if (config.httpApi().enabled()) {
                log.info("  {}://{}/api/<method>{}  (schema: {}://{}/api/openapi.json)", http, internal,
                        config.httpApi().insecure() ? "  (insecure: no API key checked)" : "", http, internal);
            }
            log.info("  {}://{}/health  (readiness: {}://{}/ready)", http, internal, http, internal);
            log.info("  {}://{}/  (start page{})", http, base, config.web().demoEnabled()
                    ? "; demos: " + http + "://" + base + "/demo/chat/, /demo/collab/"
                    + (config.web().demoPostgresDsn().isEmpty() ? "" : " and /demo/dashboard/") : "");
            if (config.web().adminEnabled()) {
                log.info("  {}://{}/admin  (admin UI)", http, internal);
            }
            var client = config.node().client();
            if (!client.token().hasKeys() && !client.insecure()
                    && !client.allowAnonymousConnectWithoutToken()) {
                log.warn("No client.token key (hmac_secret_key, rsa_public_key, ecdsa_public_key or "
                        + "jwks_public_endpoint) is set, so no client can connect yet; for local development start "
                        + "with --set client.insecure=true");
            }
            if (!config.httpApi().enabled()) {
                log.warn("The server API is off: set http_api.key (or http_api.insecure=true) to publish over HTTP");
            }
        }
    }

    @Command(name = "version", description = "Print the version.")
    static final class PrintVersion implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().println("weft " + Version.current());
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"weft " + Version.current()};
        }
    }
}
