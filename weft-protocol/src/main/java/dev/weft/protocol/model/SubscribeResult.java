package dev.weft.protocol.model;

import java.util.List;

/**
 * Reply to subscribe. {@code recovered} is true only when {@code publications} holds every publication
 * the client missed; {@code wasRecovering} echoes that the client asked for recovery; {@code delta} says
 * delta compression was negotiated.
 */
public record SubscribeResult(boolean expires, int ttl, boolean recoverable, String epoch,
                              List<Publication> publications, boolean recovered, long offset, boolean positioned,
                              byte[] data, boolean wasRecovering, boolean delta) implements Result {
    public SubscribeResult {
        epoch = epoch == null ? "" : epoch;
        publications = publications == null ? List.of() : List.copyOf(publications);
    }

    /** Without delta compression. */
    public SubscribeResult(boolean expires, int ttl, boolean recoverable, String epoch,
                           List<Publication> publications, boolean recovered, long offset, boolean positioned,
                           byte[] data, boolean wasRecovering) {
        this(expires, ttl, recoverable, epoch, publications, recovered, offset, positioned, data, wasRecovering,
                false);
    }
}
