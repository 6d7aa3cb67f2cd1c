package dev.weft.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.bench.load.Dialect;
import dev.weft.bench.load.SocketIoDialect;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Socket.IO 4 on Node ({@code targets/socketio/server.mjs}, versions pinned by its package-lock). Installs
 * its npm packages on first use; needs {@code node} and {@code npm} on PATH.
 */
public final class SocketIoTarget implements Target {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "socketio";
    }

    @Override
    public Dialect dialect() {
        return new SocketIoDialect();
    }

    @Override
    public Running start(TargetEnvironment env, boolean trackNativeMemory) throws Exception {
        Path dir = env.benchHome().resolve("targets/socketio");
        NodePackages.install(dir, "socket.io");
        int port = ServerProcess.freePort();
        ServerProcess process = ServerProcess.start(
                List.of("node", "--expose-gc", dir.resolve("server.mjs").toString()),
                Map.of("PORT", Integer.toString(port)), dir, env.log(name()), port);
        return new ProcessRunning(process, port, SocketIoTarget::memory);
    }

    /** Node's own figures (heap, external) after the full GC the script runs before answering. */
    private static MemorySample memory(ServerProcess process, int port) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String body = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/bench/memory"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode usage = JSON.readTree(body);
            return new MemorySample(ProcStats.rssBytes(process.pid()), usage.path("heapUsed").asLong(-1),
                    usage.path("external").asLong(-1));
        }
    }
}
