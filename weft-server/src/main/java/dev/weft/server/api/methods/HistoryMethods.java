package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.EmptyResult;
import dev.weft.server.api.model.HistoryRemoveRequest;
import dev.weft.server.api.model.HistoryRequest;
import dev.weft.server.api.model.HistoryResult;
import dev.weft.server.api.model.JsonPayload;
import dev.weft.server.api.model.Publication;

import java.util.Base64;
import java.util.List;

/** {@code history} and {@code history_remove} (108 where the namespace keeps no history). Thread-safe. */
public final class HistoryMethods {
    private final Node node;

    public HistoryMethods(Node node) {
        this.node = node;
    }

    public List<ApiMethod<?, ?>> methods() {
        return List.of(
                ApiMethod.of("history", "Read a channel's history", HistoryRequest.class, HistoryResult.class,
                        "{\"channel\":\"news\",\"limit\":10}", this::history),
                ApiMethod.of("history_remove", "Drop a channel's history", HistoryRemoveRequest.class,
                        EmptyResult.class, "{\"channel\":\"news\"}", this::historyRemove));
    }

    HistoryResult history(HistoryRequest r) {
        checkHistory(r.channel());
        var since = r.since() == null ? null
                : new dev.weft.protocol.model.StreamPosition(r.since().offset(), r.since().epoch());
        HistoryPage page = node.history(r.channel(), since, r.limit(), r.reverse());
        if (since != null && !since.epoch().equals(page.position().epoch())) {
            throw new ApiException(ApiError.UNRECOVERABLE_POSITION);
        }
        List<Publication> publications = page.publications().stream().map(HistoryMethods::publication).toList();
        return new HistoryResult(publications, page.position().epoch(), page.position().offset());
    }

    EmptyResult historyRemove(HistoryRemoveRequest r) {
        checkHistory(r.channel());
        node.removeHistory(r.channel());
        return EmptyResult.INSTANCE;
    }

    private void checkHistory(String channel) {
        if (channel.isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        ChannelOptions options = node.rules().optionsFor(channel);
        if (!options.historyEnabled()) {
            throw new ApiException(ApiError.NOT_AVAILABLE);
        }
    }

    private static Publication publication(dev.weft.protocol.model.Publication p) {
        JsonPayload data = Payloads.json(p.data());
        String b64 = data == null && p.data() != null && p.data().length > 0
                ? Base64.getEncoder().encodeToString(p.data()) : null;
        return new Publication(data, b64, p.info() == null ? null : PresenceMethods.clientInfo(p.info()),
                p.offset(), p.tags());
    }
}
