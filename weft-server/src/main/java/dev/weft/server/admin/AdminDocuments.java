package dev.weft.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.docs.DocumentRooms;
import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.server.api.ApiJson;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /admin/api/documents}: every document the store holds or this node has loaded, with its stored
 * bytes, its bytes in memory and how many peers (and API calls) hold it now:
 * {@code {"documents":[{"name","stored_bytes","loaded","loaded_bytes","holders"}]}}. The merged update of one
 * is at {@code /admin/api/docs/<name>} (the document API behind the admin session).
 *
 * <p>Thread-safe; the store is read on {@code executor} (virtual threads).
 */
final class AdminDocuments implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(AdminDocuments.class);

    private final DocumentRooms rooms;
    private final DocumentStore store;
    private final Executor executor;

    AdminDocuments(DocumentRooms rooms, DocumentStore store, Executor executor) {
        this.rooms = rooms;
        this.store = store;
        this.executor = executor;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            executor.execute(() -> answer(exchange));
        } catch (RejectedExecutionException e) {
            exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "server shutting down");
        }
    }

    private void answer(HttpExchange exchange) {
        try {
            Map<String, Long> stored = store.storedSizes();
            Map<String, DocumentRooms.Loaded> loaded = rooms.loadedDocuments();
            Set<String> names = new TreeSet<>(stored.keySet());
            names.addAll(loaded.keySet());
            ObjectNode root = ApiJson.mapper().createObjectNode();
            ArrayNode documents = root.putArray("documents");
            for (String name : names) {
                DocumentRooms.Loaded inMemory = loaded.get(name);
                documents.addObject().put("name", name).put("stored_bytes", stored.getOrDefault(name, 0L))
                        .put("loaded", inMemory != null)
                        .put("loaded_bytes", inMemory == null ? 0 : inMemory.bytes())
                        .put("holders", inMemory == null ? 0 : inMemory.holders());
            }
            exchange.respond(HttpResponses.json(HttpResponseStatus.OK, ApiJson.mapper().writeValueAsBytes(root)));
        } catch (DocumentStoreException e) {
            log.warn("admin document list: the store failed", e);
            exchange.respond(HttpResponses.jsonError(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "document store unavailable"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
