package dev.weft.protocol.model;

import java.util.List;

public record HistoryResult(List<Publication> publications, String epoch, long offset) implements Result {
    public HistoryResult {
        publications = publications == null ? List.of() : List.copyOf(publications);
        epoch = epoch == null ? "" : epoch;
    }
}
