package dev.weft.server.ai.relay;

import dev.weft.server.ai.relay.format.Errors;
import dev.weft.server.ai.relay.format.EventParser;
import dev.weft.server.ai.relay.format.MalformedUpstreamException;
import dev.weft.server.ai.relay.format.Translator;
import dev.weft.server.ai.relay.format.UpstreamEvent;
import dev.weft.server.outbound.OutboundHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One running relay: POSTs the request, reads the answer on its own virtual thread, feeds it through the
 * format's parser and translator and hands the parts to the sink. Ends with exactly one of
 * {@link RelaySink#finished} / {@link RelaySink#failed}, unless cancelled or refused by the sink first.
 *
 * <p>Aborting (cancel, a refused part, a timeout) closes the body stream and interrupts the reading thread, which
 * makes the JDK client close the connection. Thread-safe: the sink is called under {@code sinkLock}, and
 * {@link #cancel} takes it too, so no sink call runs after cancel returns.
 */
final class Relay implements RelayHandle {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    /** Most of an error answer's body read for its message. */
    private static final int ERROR_BODY_BYTES = 8 * 1024;
    /** Most read after the upstream's end marker, hoping for the end of the body. */
    private static final int DRAIN_BYTES = 64 * 1024;

    private final UpstreamCall call;
    private final RelaySink sink;
    private final OutboundHttp http;
    private final int maxEventBytes;
    private final Runnable onEnd;
    private final ReentrantLock sinkLock = new ReentrantLock();
    private final long startedNanos = System.nanoTime();
    private final List<byte[]> parts = new ArrayList<>();

    /** No sink call may start: cancelled, refused by the sink, or ended. Guarded by {@code sinkLock} for writes. */
    private volatile boolean silenced;
    /** Why the relay was aborted by a deadline; null when it was not. */
    private volatile String timedOut;
    private volatile Thread thread;
    private volatile InputStream body;
    private volatile long lastReadNanos = startedNanos;
    private volatile boolean bodyStarted;

    Relay(UpstreamCall call, RelaySink sink, OutboundHttp http, int maxEventBytes, Runnable onEnd) {
        this.call = call;
        this.sink = sink;
        this.http = http;
        this.maxEventBytes = maxEventBytes;
        this.onEnd = onEnd;
    }

    void start() {
        thread = Thread.ofVirtual().name("ai-relay").start(this::run);
    }

    @Override
    public void cancel() {
        sinkLock.lock();
        try {
            silenced = true;
        } finally {
            sinkLock.unlock();
        }
        abort();
    }

    /** Called by the watchdog: fails the relay when one of its deadlines passed. */
    void checkDeadlines(long now) {
        String reason = null;
        if (now - startedNanos > call.totalTimeout().toNanos()) {
            reason = "upstream answer took longer than " + call.totalTimeout().toMillis() + " ms";
        } else if (!bodyStarted && now - lastReadNanos > call.firstByteTimeout().toNanos()) {
            reason = "upstream did not answer within " + call.firstByteTimeout().toMillis() + " ms";
        } else if (bodyStarted && now - lastReadNanos > call.idleTimeout().toNanos()) {
            reason = "upstream sent nothing for " + call.idleTimeout().toMillis() + " ms";
        }
        if (reason != null && timedOut == null) {
            timedOut = reason;
            abort();
        }
    }

    private void abort() {
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Closing is all we wanted.
            }
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    private void run() {
        Translator translator = call.format().translator(maxEventBytes);
        try {
            if (silenced) {
                return;
            }
            HttpResponse<InputStream> response = http.open(call.uri(), call.body(), call.headers(),
                    call.firstByteTimeout());
            body = response.body();
            if (silenced || timedOut != null) {
                abort();
                throw new IOException("aborted");
            }
            int status = response.statusCode();
            if (status / 100 != 2) {
                byte[] error = body.readNBytes(ERROR_BODY_BYTES);
                fail("upstream " + call.where() + " answered " + status + ": " + Errors.ofBody(error), null);
                return;
            }
            read(translator);
        } catch (MalformedUpstreamException e) {
            deliver();
            fail(e.getMessage(), null);
        } catch (HttpTimeoutException e) {
            fail(timedOut != null ? timedOut : "upstream did not answer within "
                    + call.firstByteTimeout().toMillis() + " ms", null);
        } catch (IOException | InterruptedException e) {
            deliver();
            fail(timedOut != null ? timedOut : "connection to upstream " + call.where() + " lost: "
                    + describe(e), e);
        } catch (RuntimeException e) {
            fail("relay failed: " + e.getClass().getSimpleName(), e);
        } finally {
            silenced = true;
            abort();
            onEnd.run();
        }
    }

    private void read(Translator translator) throws IOException, MalformedUpstreamException {
        EventParser parser = translator.parser();
        byte[] buffer = new byte[8192];
        InputStream in = body;
        while (true) {
            int n = in.read(buffer);
            if (silenced) {
                return;
            }
            if (n < 0) {
                break;
            }
            lastReadNanos = System.nanoTime();
            bodyStarted = true;
            parser.feed(buffer, 0, n, event -> translate(translator, event));
            deliver();
            if (silenced) {
                return;
            }
            if (translator.done()) {
                finish(translator.finishReason());
                // The rest is normally just the end of the chunked body: reading it lets the client keep the
                // connection for the next relay to this upstream. Bounded, and by the watchdog's deadlines.
                in.readNBytes(DRAIN_BYTES);
                return;
            }
        }
        parser.end(event -> translate(translator, event));
        if (!translator.done()) {
            translator.end(parts);
        }
        deliver();
        finish(translator.finishReason());
    }

    private void translate(Translator translator, UpstreamEvent event) throws MalformedUpstreamException {
        if (!translator.done()) {
            translator.event(event, parts);
        }
    }

    /** Hands the parts so far to the sink; a refusal silences the relay and aborts the request. */
    private void deliver() {
        if (parts.isEmpty()) {
            return;
        }
        sinkLock.lock();
        try {
            for (byte[] part : parts) {
                if (silenced) {
                    break;
                }
                if (!sink.part(part)) {
                    silenced = true;
                    log.debug("relay from {}: the stream takes no more; aborting", call.where());
                }
            }
        } finally {
            parts.clear();
            sinkLock.unlock();
        }
        if (silenced) {
            abort();
        }
    }

    private void finish(String reason) {
        sinkLock.lock();
        try {
            if (!silenced) {
                silenced = true;
                sink.finished(reason);
            }
        } finally {
            sinkLock.unlock();
        }
    }

    private void fail(String reason, Throwable cause) {
        String shown = Secrets.blank(reason, call.secrets());
        sinkLock.lock();
        try {
            if (silenced) {
                return;
            }
            silenced = true;
            log.info("relay from {} failed: {}{}", call.where(), shown, cause instanceof RuntimeException
                    ? " (" + Secrets.blank(String.valueOf(cause), call.secrets()) + ")" : "");
            sink.failed(shown);
        } finally {
            sinkLock.unlock();
        }
    }

    private static String describe(Exception e) {
        if (e instanceof InterruptedException) {
            return "interrupted";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
