package dev.weft.server.ai.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model API under test, on a plain socket so every byte is ours: it reads one HTTP/1.1 request per connection,
 * lets a script answer it (chunked, so the body's end is explicit and a cut connection is a cut answer), and
 * notices when the client closes its side ({@link Exchange#clientClosed}).
 */
final class FakeUpstream implements AutoCloseable {
    /** Answers one request. */
    @FunctionalInterface
    interface Script {
        void answer(Request request, Exchange exchange) throws Exception;
    }

    record Request(String requestLine, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final boolean keepAlive;
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    FakeUpstream(Script script) throws IOException {
        this(script, false);
    }

    /**
     * @param keepAlive answer several requests per connection (then {@link Exchange#clientClosed} is not watched:
     *                  the next request is read instead)
     */
    FakeUpstream(Script script, boolean keepAlive) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.keepAlive = keepAlive;
        Thread.ofVirtual().name("fake-upstream").start(this::acceptLoop);
    }

    /** The first connection's exchange, waiting for it to arrive. */
    Exchange first() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (exchanges.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no request reached the fake upstream");
            }
            Thread.sleep(5);
        }
        return exchanges.getFirst();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        connections.incrementAndGet();
        try (socket) {
            do {
                Exchange exchange = new Exchange(socket, keepAlive);
                exchanges.add(exchange);
                try {
                    Request request = readRequest(socket.getInputStream());
                    exchange.request.complete(request);
                    if (!keepAlive) {
                        Thread.ofVirtual().start(exchange::watchClient);
                    }
                    script.answer(request, exchange);
                } catch (Exception e) {
                    exchange.request.completeExceptionally(e);
                    return;
                }
            } while (keepAlive);
        } catch (IOException e) {
            // closing
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request cut");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
        return new Request(lines[0], headers, in.readNBytes(length));
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Exchange e : exchanges) {
            e.socket.close();
        }
    }

    /** One connection's answer. */
    static final class Exchange {
        final Socket socket;
        final CompletableFuture<Request> request = new CompletableFuture<>();
        /** Completes with {@link System#nanoTime()} when the client closed or reset the connection. */
        final CompletableFuture<Long> clientClosed = new CompletableFuture<>();
        private final OutputStream out;
        private final String connection;

        Exchange(Socket socket, boolean keepAlive) {
            this.socket = socket;
            this.connection = keepAlive ? "" : "Connection: close\r\n";
            try {
                this.out = socket.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void watchClient() {
            try {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // The client sends nothing more; anything read is ignored.
                }
            } catch (IOException e) {
                // A reset is a close too.
            }
            clientClosed.complete(System.nanoTime());
        }

        void head(int status, String contentType) throws IOException {
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType
                    + "\r\nTransfer-Encoding: chunked\r\n" + connection + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void chunk(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return;
            }
            out.write((Integer.toHexString(length).toUpperCase(Locale.ROOT) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, offset, length);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void chunk(String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            chunk(b, 0, b.length);
        }

        /** Writes {@code bytes} in chunks of random sizes, sleeping now and then (a slow drip). */
        void drip(byte[] bytes, Random random, int maxChunk, int sleepEvery) throws IOException, InterruptedException {
            int at = 0;
            int n = 0;
            while (at < bytes.length) {
                int size = Math.min(bytes.length - at, 1 + random.nextInt(maxChunk));
                chunk(bytes, at, size);
                at += size;
                if (sleepEvery > 0 && ++n % sleepEvery == 0) {
                    Thread.sleep(1 + random.nextInt(3));
                }
            }
        }

        /** The terminating chunk: the answer is complete. */
        void end() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Cuts the connection (a reset) without ending the answer. */
        void cut() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** A whole answer with a length, for errors. */
        void full(int status, String contentType, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                    + b.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
        }
    }
}
