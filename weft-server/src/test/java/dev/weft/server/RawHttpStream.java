package dev.weft.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code curl -N} for tests: one HTTP/1.1 request over a plain socket, the response head parsed, the body
 * (chunked or not) decoded on a background thread and handed out line by line as it arrives. Can stop
 * reading (to play a slow client) or drop the connection mid-stream.
 */
final class RawHttpStream implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final LineQueue lines = new LineQueue();
    private final Thread reader;
    private volatile boolean ended;

    private RawHttpStream(int port, String method, String target, byte[] body, String[] extraHeaders,
                          boolean read) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (int i = 0; i < extraHeaders.length; i += 2) {
            request.append(extraHeaders[i]).append(": ").append(extraHeaders[i + 1]).append("\r\n");
        }
        if (body != null) {
            request.append("Content-Length: ").append(body.length).append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        in = socket.getInputStream();
        String statusLine = readLine();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String line; !(line = readLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        reader = Thread.ofVirtual().unstarted(this::readBody);
        if (read) {
            reader.start();
        }
    }

    /** Sends the request and reads the head; the body is read as it comes. */
    static RawHttpStream open(int port, String method, String target, String body, String... headers)
            throws IOException {
        return new RawHttpStream(port, method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                headers, true);
    }

    /** Sends the request, reads the head, then never reads the body: a client that stopped reading. */
    static RawHttpStream openNotReading(int port, String method, String target, String body, String... headers)
            throws IOException {
        RawHttpStream s = new RawHttpStream(port, method, target,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers, false);
        return s;
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The next body line (without its line end), waiting up to 10 s; fails at the end of the body. */
    String nextLine() throws InterruptedException {
        return lines.next();
    }

    /** Every line still to come, until the server ends the response (waits up to {@code timeout}). */
    java.util.List<String> restUntilEnd(Duration timeout) throws InterruptedException {
        return lines.rest(timeout);
    }

    boolean ended() {
        return ended;
    }

    /** Drops the connection at once (RST), as a client that goes away mid-stream. */
    @Override
    public void close() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private void readBody() {
        try {
            boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            if (chunked) {
                while (true) {
                    int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
                    if (size == 0) {
                        readLine();
                        break;
                    }
                    byte[] data = in.readNBytes(size);
                    readLine();
                    for (byte b : data) {
                        line = feed(line, b);
                    }
                }
            } else {
                long length = headers.containsKey("content-length") ? Long.parseLong(headers.get("content-length"))
                        : Long.MAX_VALUE;
                for (long i = 0; i < length; i++) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    line = feed(line, (byte) b);
                }
                if (line.size() > 0) {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | RuntimeException e) {
            // connection closed or reset: the body ends here
        } finally {
            ended = true;
            lines.end();
        }
    }

    private ByteArrayOutputStream feed(ByteArrayOutputStream line, byte b) {
        if (b == '\n') {
            lines.add(line.toString(StandardCharsets.UTF_8));
            return new ByteArrayOutputStream();
        }
        line.write(b);
        return line;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
