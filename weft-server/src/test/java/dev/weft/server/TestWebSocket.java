package dev.weft.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client that collects messages and the close code, for tests. */
public final class TestWebSocket implements WebSocket.Listener, AutoCloseable {
    public record Close(int code, String reason) {
    }

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> binaryMessages = new LinkedBlockingQueue<>();
    private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();
    final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private TestWebSocket(HttpClient client, URI uri, String subprotocol, String... headers) {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocol != null) {
            builder.subprotocols(subprotocol);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        this.socket = builder.buildAsync(uri, this).join();
    }

    public static TestWebSocket connect(int port, String... headers) {
        return new TestWebSocket(HttpClient.newHttpClient(),
                URI.create("ws://127.0.0.1:" + port + "/connection/websocket"), null, headers);
    }

    /** Connects to any WebSocket endpoint, e.g. {@code ws://127.0.0.1:port/connection/uni_websocket}. */
    static TestWebSocket connect(URI uri) {
        return new TestWebSocket(HttpClient.newHttpClient(), uri, null);
    }

    /** Connects as centrifuge-js's protobuf build and centrifuge-java do: with the subprotocol. */
    static TestWebSocket connectProtobuf(int port) {
        return new TestWebSocket(HttpClient.newHttpClient(),
                URI.create("ws://127.0.0.1:" + port + "/connection/websocket"), "centrifuge-protobuf");
    }

    WebSocket socket() {
        return socket;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public String next() throws InterruptedException {
        String message = messages.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within 10 s");
        }
        return message;
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    byte[] nextBinary() throws InterruptedException {
        byte[] message = binaryMessages.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no binary message within 10 s");
        }
        return message;
    }

    public Close awaitClose() throws Exception {
        return closed.get(15, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partialBinary.writeBytes(chunk);
        if (last) {
            binaryMessages.add(partialBinary.toByteArray());
            partialBinary.reset();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
