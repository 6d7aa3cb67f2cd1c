package dev.weft.bench.target;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An application backend for Weft's event proxies, in its own process (Node.js, no packages): it answers every
 * request at once, a connect with {@code {"result":{"user":"u"}}} (who connects) and anything else (publish)
 * with {@code {"result":{}}} (allowed, data unchanged). Kept out of the server's and the load generator's
 * processes so the CPU measured for either is not the backend's. Needs {@code node} on PATH.
 */
public final class ProxyBackend implements AutoCloseable {

    private static final String SCRIPT = """
            const http = require('http');
            const server = http.createServer((req, res) => {
              req.on('data', () => {});
              req.on('end', () => {
                res.setHeader('content-type', 'application/json');
                res.end(req.url === '/connect' ? '{"result":{"user":"u"}}' : '{"result":{}}');
              });
            });
            server.keepAliveTimeout = 60000;
            server.listen(Number(process.argv[1]), '127.0.0.1');
            """;

    private final ServerProcess process;
    private final int port;

    private ProxyBackend(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the backend and waits until it listens; its output goes to {@code log}. */
    public static ProxyBackend start(Path workDir, Path log) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        return new ProxyBackend(ServerProcess.start(List.of("node", "-e", SCRIPT, Integer.toString(port)),
                Map.of(), workDir, log, port), port);
    }

    /** The URL of {@code path} ({@code /connect}, {@code /publish}) on the backend. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
