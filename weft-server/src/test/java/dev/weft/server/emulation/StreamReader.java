package dev.weft.server.emulation;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.Reply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads a streamed response body the way centrifuge-js does and decodes the replies in it: JSON lines,
 * varint-length-prefixed Protobuf, or SSE {@code data:} events (JSON). Reads on its own virtual thread; the
 * test takes replies with a timeout.
 */
final class StreamReader implements AutoCloseable {
    enum Framing { JSON_LINES, PROTOBUF, SSE }

    private static final Object END = new Object();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final InputStream in;
    private final Framing framing;
    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    /** Raw SSE lines and JSON lines as read, for format assertions. */
    final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    StreamReader(InputStream in, Framing framing) {
        this.in = in;
        this.framing = framing;
        Thread.ofVirtual().name("stream-reader").start(this::run);
    }

    private void run() {
        try (in) {
            switch (framing) {
                case JSON_LINES -> readLines(false);
                case SSE -> readLines(true);
                case PROTOBUF -> readProtobuf();
            }
        } catch (IOException | ProtocolDecodeException e) {
            items.add(e);
        } finally {
            items.add(END);
        }
    }

    private void readLines(boolean sse) throws IOException, ProtocolDecodeException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        StringBuilder event = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            lines.add(text);
            if (!sse) {
                decode(ProtocolType.JSON, text.getBytes(StandardCharsets.UTF_8));
            } else if (text.isEmpty()) {
                if (!event.isEmpty()) {
                    decode(ProtocolType.JSON, event.toString().getBytes(StandardCharsets.UTF_8));
                    event.setLength(0);
                }
            } else if (text.startsWith("data: ")) {
                event.append(event.isEmpty() ? "" : "\n").append(text.substring(6));
            }
        }
    }

    private void readProtobuf() throws IOException, ProtocolDecodeException {
        for (;;) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            long length = 0;
            int shift = 0;
            int b;
            do {
                b = in.read();
                if (b < 0) {
                    return;
                }
                frame.write(b);
                length |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            frame.write(in.readNBytes((int) length));
            decode(ProtocolType.PROTOBUF, frame.toByteArray());
        }
    }

    private void decode(ProtocolType type, byte[] frame) throws ProtocolDecodeException {
        items.addAll(ProtocolCodecs.of(type).decodeReplies(frame));
    }

    /** The next reply (pings included); fails after the wait or at the end of the stream. */
    Reply next() throws Exception {
        Object item = items.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new AssertionError("no reply within " + WAIT);
        }
        if (item == END) {
            items.add(END);
            throw new AssertionError("the stream ended");
        }
        if (item instanceof Exception e) {
            throw new AssertionError("reading the stream failed", e);
        }
        return (Reply) item;
    }

    /** The next reply matching {@code wanted}, skipping others. */
    Reply next(Predicate<Reply> wanted) throws Exception {
        for (;;) {
            Reply reply = next();
            if (wanted.test(reply)) {
                return reply;
            }
        }
    }

    /** Everything up to the end of the stream (which must come within the wait). */
    List<Reply> rest() throws Exception {
        List<Reply> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (;;) {
            Object item = items.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new AssertionError("the stream did not end within " + WAIT + "; read " + out.size());
            }
            if (item == END) {
                items.add(END);
                return out;
            }
            if (item instanceof Reply r) {
                out.add(r);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
