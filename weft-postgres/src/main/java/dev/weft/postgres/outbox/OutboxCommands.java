package dev.weft.postgres.outbox;

/**
 * Runs one outbox row as a server API command. The server implements it with its API registry, so this module
 * knows nothing of HTTP or of the API's records. Called from the consumer's partition threads, one row at a time
 * per partition; implementations must be thread-safe and may block.
 */
@FunctionalInterface
public interface OutboxCommands {

    /**
     * Runs {@code method} with {@code payload}, the bytes of the row's JSONB as Postgres prints it.
     *
     * @param method         the row's {@code method}; empty means the payload is {@code {"method":…,"payload":…}}
     *                       (as Centrifugo accepts)
     * @param payload        the request, never parsed and re-serialised on its way to subscribers
     * @param idempotencyKey the key a publication gets when the payload sets none: the same for every attempt of
     *                       one row, so a row run again after a crash is not delivered twice
     * @return what became of it; never null
     */
    Outcome execute(String method, byte[] payload, String idempotencyKey);

    /** What became of one command. */
    record Outcome(Kind kind, String reason) {
        public static final Outcome DONE = new Outcome(Kind.DONE, "");

        /** A command that can never succeed (bad JSON, unknown method, unknown channel, refused): set aside. */
        public static Outcome rejected(String reason) {
            return new Outcome(Kind.REJECTED, reason);
        }

        /** A temporary failure (the broker is down): the row stays and is tried again, after a pause. */
        public static Outcome retry(String reason) {
            return new Outcome(Kind.RETRY, reason);
        }
    }

    enum Kind { DONE, REJECTED, RETRY }
}
