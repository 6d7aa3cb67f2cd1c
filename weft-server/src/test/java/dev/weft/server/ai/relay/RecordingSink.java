package dev.weft.server.ai.relay;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A sink that keeps what a relay wrote, and checks the sink contract (nothing after the end, one end). */
final class RecordingSink implements RelaySink {
    final List<String> parts = new CopyOnWriteArrayList<>();
    /** "finished:<reason>" or "failed:<reason>". */
    final CompletableFuture<String> end = new CompletableFuture<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    private final Predicate<String> accept;

    RecordingSink() {
        this(part -> true);
    }

    /** @param accept whether to take a part; false makes {@link #part} answer false */
    RecordingSink(Predicate<String> accept) {
        this.accept = accept;
    }

    @Override
    public boolean part(byte[] uiPart) {
        String part = new String(uiPart, StandardCharsets.UTF_8);
        if (end.isDone()) {
            violations.add("part after the end: " + part);
        }
        if (!accept.test(part)) {
            return false;
        }
        parts.add(part);
        return true;
    }

    @Override
    public void finished(String finishReason) {
        if (!end.complete("finished:" + finishReason)) {
            violations.add("second end: finished " + finishReason);
        }
    }

    @Override
    public void failed(String reason) {
        if (!end.complete("failed:" + reason)) {
            violations.add("second end: failed " + reason);
        }
    }
}
