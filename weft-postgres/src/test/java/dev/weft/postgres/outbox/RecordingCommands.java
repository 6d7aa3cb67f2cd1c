package dev.weft.postgres.outbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The command side of the SPI for tests of the consumer alone: records what it is asked to run; what it answers
 * is up to the test (by default every command succeeds). Thread-safe.
 */
final class RecordingCommands implements OutboxCommands {
    record Call(String method, String payload, String idempotencyKey, String thread) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<Call, Outcome> answer = call -> Outcome.DONE;

    RecordingCommands answering(Function<Call, Outcome> f) {
        this.answer = f;
        return this;
    }

    @Override
    public Outcome execute(String method, byte[] payload, String idempotencyKey) {
        Call call = new Call(method, new String(payload, StandardCharsets.UTF_8), idempotencyKey,
                Thread.currentThread().getName());
        Outcome outcome = answer.apply(call);
        if (outcome.kind() != Kind.RETRY) {
            calls.add(call);
        }
        return outcome;
    }
}
