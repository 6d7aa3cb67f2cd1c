package dev.weft.core.broker;

import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;

import java.util.List;

/** Publications read from a stream, in the order asked for, and the stream's current position. */
public record HistoryPage(List<Publication> publications, StreamPosition position) {
    public HistoryPage {
        publications = List.copyOf(publications);
    }
}
