package dev.weft.server.web;

import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bundled pages (module {@code weft-web}: start page, admin UI, demos), read once from the class path
 * into memory and served from there, so a request never touches the disk or the jar. The bundle lists its
 * files in {@value #INDEX}; a path ending in {@code /} serves that directory's {@code index.html}.
 *
 * <p>Every response forbids loading anything from another origin ({@code Content-Security-Policy}: the pages
 * are self-contained, no CDN) and being framed. Immutable and thread-safe.
 */
public final class StaticPages {
    /** Where {@code weft-web} puts the bundle on the class path. */
    static final String ROOT = "dev/weft/web/";
    static final String INDEX = "files.txt";
    private static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "json", "application/json",
            "png", "image/png", "map", "application/json");

    private final Map<String, byte[]> files;

    private StaticPages(Map<String, byte[]> files) {
        this.files = files;
    }

    /** The pages bundled on the class path; none when the bundle is missing (a build without {@code weft-web}). */
    public static StaticPages load() {
        ClassLoader loader = StaticPages.class.getClassLoader();
        byte[] index = read(loader, ROOT + INDEX);
        Map<String, byte[]> files = new HashMap<>();
        if (index != null) {
            for (String name : new String(index, StandardCharsets.UTF_8).split("\n")) {
                if (!name.isBlank()) {
                    byte[] content = read(loader, ROOT + name.strip());
                    if (content == null) {
                        throw new IllegalStateException("bundled page " + name + " is listed but missing");
                    }
                    files.put(name.strip(), content);
                }
            }
        }
        return new StaticPages(Map.copyOf(files));
    }

    private static byte[] read(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled page " + name, e);
        }
    }

    /** Whether the bundle holds {@code file} (a path relative to its root, e.g. {@code admin/index.html}). */
    public boolean has(String file) {
        return files.containsKey(file);
    }

    /**
     * An endpoint serving the bundle's directory {@code directory} (e.g. {@code demo/}) under the URL prefix
     * {@code urlPrefix} (e.g. {@code /demo/}); a path ending in {@code /} serves its {@code index.html}.
     */
    public HttpEndpoint endpoint(String urlPrefix, String directory) {
        return new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.GET, HttpMethod.HEAD);
            }

            @Override
            public void handle(HttpExchange exchange) {
                String path = exchange.path();
                String rest = path.startsWith(urlPrefix) ? path.substring(urlPrefix.length()) : "";
                if (rest.isEmpty() || rest.endsWith("/")) {
                    rest += "index.html";
                }
                byte[] body = rest.contains("..") ? null : files.get(directory + rest);
                if (body == null) {
                    exchange.refuse(HttpResponseStatus.NOT_FOUND, "no bundled page " + directory + rest);
                    return;
                }
                exchange.respond(page(body, rest, exchange.method().equals(HttpMethod.HEAD)));
            }
        };
    }

    /** 308 to {@code location}: {@code /admin} → {@code /admin/}, so the page's relative links resolve. */
    public static HttpEndpoint redirect(String location) {
        return new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.GET, HttpMethod.HEAD);
            }

            @Override
            public void handle(HttpExchange exchange) {
                FullHttpResponse response = HttpResponses.empty(HttpResponseStatus.PERMANENT_REDIRECT);
                response.headers().set(HttpHeaderNames.LOCATION, location);
                exchange.respond(response);
            }
        };
    }

    private static FullHttpResponse page(byte[] body, String name, boolean head) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        String extension = name.substring(name.lastIndexOf('.') + 1);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, TYPES.getOrDefault(extension, "application/octet-stream"))
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set("Referrer-Policy", "no-referrer");
        return response;
    }
}
