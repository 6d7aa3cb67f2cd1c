package dev.weft.server.admin;

import dev.weft.core.Node;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.server.api.ApiEndpoint;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.ApiMethods;
import dev.weft.server.api.openapi.OpenApiEndpoint;
import dev.weft.server.config.WebConfig;
import dev.weft.server.docs.DocsApiEndpoint;
import dev.weft.server.docs.DocumentService;
import dev.weft.server.http.DisabledEndpoint;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpResponses;
import dev.weft.server.metrics.ServerMetrics;
import dev.weft.server.web.StaticPages;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The admin UI's routes, all under {@value #PREFIX}: the pages ({@code /admin/}), {@code POST /admin/login}
 * and {@code /admin/logout}, and behind the admin session ({@link AdminAccess}) {@code /admin/api/…}: the
 * session check, the live stats stream, every server API method at {@code /admin/api/call/<method>} (the same
 * registry and endpoint as {@code /api/<method>}, so the console can call whatever the API offers) with its
 * OpenAPI document, and the documents. With {@code admin.enabled} off every admin path answers 404.
 */
public final class AdminEndpoints {
    public static final String PREFIX = "/admin";
    static final String CALL_PREFIX = "/admin/api/call/";

    private AdminEndpoints() {
    }

    /**
     * @param tls      whether this server speaks TLS itself (the session cookie is then {@code Secure})
     * @param docs     the document side, or null without one (no documents page)
     * @param executor where API calls and store reads run (virtual threads)
     * @param metrics  the server's meters: the live chart's totals, and console calls counted as API calls
     * @throws IllegalArgumentException when the admin UI is enabled without a password or a long enough secret
     */
    public static Map<String, HttpEndpoint> create(WebConfig config, boolean tls, StaticPages pages, Node node,
                                                   ApiMethods methods, String version, DocumentService docs,
                                                   ServerMetrics metrics, Executor executor,
                                                   RefusalCounters refusals) {
        Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        if (!config.adminEnabled()) {
            HttpEndpoint disabled = new DisabledEndpoint("admin UI disabled: admin.enabled is false");
            endpoints.put(PREFIX, disabled);
            endpoints.put(PREFIX + "/", disabled);
            return endpoints;
        }
        AdminAccess access = new AdminAccess(
                new AdminSessions(config.adminPassword(), config.adminSecret(), tls, Clock.systemUTC()), refusals);
        endpoints.put(PREFIX, StaticPages.redirect(PREFIX + "/"));
        endpoints.put(PREFIX + "/", pages.endpoint(PREFIX + "/", "admin/"));
        endpoints.put(PREFIX + "/login", access.login());
        endpoints.put(PREFIX + "/logout", access.logout());
        endpoints.put(PREFIX + "/api/session", access.guard(session(node)));
        endpoints.put(PREFIX + "/api/stats", access.guard(new AdminStatsStream(node, metrics)));
        endpoints.put(PREFIX + "/api/openapi.json", access.guard(new OpenApiEndpoint(methods, version)));
        for (ApiMethod<?, ?> method : methods.all()) {
            endpoints.put(CALL_PREFIX + method.name(), access.guard(new ApiEndpoint(method, executor, false, metrics.api())));
        }
        if (docs != null) {
            endpoints.put(PREFIX + "/api/documents",
                    access.guard(new AdminDocuments(docs.rooms(), docs.store(), executor)));
            endpoints.put(PREFIX + "/api/docs/",
                    access.guard(new DocsApiEndpoint(docs.rooms(), executor, PREFIX + "/api/docs/")));
        }
        return endpoints;
    }

    /** {@code GET /admin/api/session}: 200 with the node's name while the session is valid (the guard says 401). */
    private static HttpEndpoint session(Node node) {
        return new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.GET);
            }

            @Override
            public void handle(dev.weft.server.http.HttpExchange exchange) {
                String json = "{\"node\":\"" + node.id() + "\"}";
                exchange.respond(HttpResponses.json(HttpResponseStatus.OK, json.getBytes(StandardCharsets.UTF_8)));
            }
        };
    }
}
