package dev.weft.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare-socket WebSocket client that reads only when told to, so a test can play a client that stops
 * reading, never sends its connect, or sends what no library would. Sends masked frames; reads unmasked
 * server frames. {@link #attempt} also reports a refused upgrade (status, headers, body) instead of failing.
 */
final class RawWebSocket implements AutoCloseable {
    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;
    private final String head;
    private final String body;

    /** Connects with a small receive buffer, so that not reading quickly pushes back on the server. */
    RawWebSocket(int port, String pathAndQuery) throws IOException {
        this(port, pathAndQuery, "127.0.0.1");
        if (status != 101) {
            close();
            throw new IOException("handshake refused: " + head);
        }
    }

    private RawWebSocket(int port, String pathAndQuery, String localAddress, String... headers)
            throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        head = readHead(in);
        status = Integer.parseInt(head.substring(9, 12));
        body = status == 101 ? "" : readBody(in, head);
    }

    /**
     * Tries the upgrade to {@code /connection/websocket} from {@code localAddress} (any 127.x.y.z works on
     * Linux loopback) with extra headers (name, value, …); never throws for a refusal: see {@link #status()}.
     */
    static RawWebSocket attempt(int port, String localAddress, String... headers) throws IOException {
        return new RawWebSocket(port, "/connection/websocket", localAddress, headers);
    }

    /** Tries the upgrade to any path (headers: name, value, …); never throws for a refusal. */
    static RawWebSocket open(int port, String pathAndQuery, String... headers) throws IOException {
        return new RawWebSocket(port, pathAndQuery, "127.0.0.1", headers);
    }

    /** How long a read waits before failing with {@link java.net.SocketTimeoutException} (15 s unless set). */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
    }

    int status() {
        return status;
    }

    /** Status line and headers of the upgrade response. */
    String head() {
        return head;
    }

    /** Body of a refused upgrade ("" after 101). */
    String body() {
        return body;
    }

    private static String readBody(DataInputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                byte[] body = new byte[Integer.parseInt(line.substring(15).trim())];
                in.readFully(body);
                return new String(body, StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during handshake");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    void sendText(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one frame: {@code firstByte} holds FIN and the opcode (0x81 final text, 0x01 first fragment, …). */
    void sendFrame(int firstByte, byte[] payload) throws IOException {
        sendRaw(maskedFrame(firstByte, payload));
    }

    /** Makes {@link #close} reset the connection (RST), as a client whose network vanished would. */
    void resetOnClose() throws IOException {
        socket.setSoLinger(true, 0);
    }

    /** Writes bytes as they are: frames built with {@link #maskedFrame}, or deliberate garbage. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One client frame, masked as RFC 6455 requires. */
    static byte[] maskedFrame(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** True once the server has closed the TCP connection (reads end); waits up to the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain whatever is still in flight
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    /** Reads frames until a close frame, which it returns. */
    Frame readUntilClose() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == 8) {
                return frame;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
