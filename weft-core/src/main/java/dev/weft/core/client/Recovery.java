package dev.weft.core.client;

import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;

import java.util.List;

/**
 * Decides whether a client that last saw {@code since} can be given every publication it missed. The answer
 * is all or nothing: {@code recovered} is true only when the returned list is exactly the missed range, in
 * order, with no gap.
 *
 * <p>Pure function; thread-safe.
 */
final class Recovery {
    private Recovery() {
    }

    record Outcome(List<Publication> publications, boolean recovered) {
        static final Outcome FAILED = new Outcome(List.of(), false);
    }

    /**
     * @param since       the client's last position
     * @param top         the stream's current position, read together with {@code history}
     * @param history     publications after {@code since.offset()}, ascending, at most {@code maxRecovered + 1}
     * @param maxRecovered a recovery needing more publications than this fails
     */
    static Outcome recover(StreamPosition since, StreamPosition top, List<Publication> history, int maxRecovered) {
        if (!since.epoch().equals(top.epoch())) {
            return Outcome.FAILED;
        }
        int cmp = Long.compareUnsigned(since.offset(), top.offset());
        if (cmp == 0) {
            return new Outcome(List.of(), true);
        }
        if (cmp > 0) {
            return Outcome.FAILED;
        }
        long missed = top.offset() - since.offset();
        if (Long.compareUnsigned(missed, maxRecovered) > 0 || history.size() != missed) {
            return Outcome.FAILED;
        }
        long expected = since.offset() + 1;
        for (Publication p : history) {
            if (p.offset() != expected++) {
                return Outcome.FAILED;
            }
        }
        return new Outcome(history, true);
    }
}
