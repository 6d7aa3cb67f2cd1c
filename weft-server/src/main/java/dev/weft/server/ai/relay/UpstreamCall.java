package dev.weft.server.ai.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.server.ai.relay.format.UpstreamFormat;
import dev.weft.server.config.AiRelayConfig;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One upstream request, read from the {@code upstream} object of {@code POST /api/streams}:
 * {@code {"url": …, "headers": {…}, "body": {…}, "format": …}} or {@code {"name": <ai.upstreams entry>,
 * "body": {…}, "headers": {…}, "format": …}}. The body goes upstream as the caller's bytes; for the formats that
 * stream only when asked ({@code openai-chat}, {@code openai-responses}, {@code anthropic}) a body without a
 * {@code stream} member gets {@code "stream":true,} inserted after its opening brace (nothing else changes),
 * and one with {@code stream} other than {@code true} is refused.
 *
 * @param where   the URL without query and user info: what messages and logs may name
 * @param secrets every header value and the URL's query, to be blanked out of anything a reader may see
 */
record UpstreamCall(URI uri, String where, Map<String, String> headers, byte[] body, UpstreamFormat format,
                    Duration firstByteTimeout, Duration idleTimeout, Duration totalTimeout, List<String> secrets) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();
    private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param configured the {@code ai.upstreams} entries with their header values already resolved
     * @throws IllegalArgumentException the description is invalid; the message says why and holds no header value
     */
    static UpstreamCall parse(byte[] json, AiRelayConfig config, Map<String, AiRelayConfig.Upstream> configured) {
        String url = null;
        String name = null;
        String formatName = null;
        Map<String, String> callerHeaders = new LinkedHashMap<>();
        byte[] body = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("upstream must be an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "url" -> url = string(p, value, field);
                    case "name" -> name = string(p, value, field);
                    case "format" -> formatName = string(p, value, field);
                    case "headers" -> headers(p, value, callerHeaders);
                    case "body" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new IllegalArgumentException("upstream.body must be a JSON object");
                        }
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        int end = (int) p.currentLocation().getByteOffset();
                        body = Arrays.copyOfRange(json, start, end);
                    }
                    default -> throw new IllegalArgumentException("unknown upstream key \"" + field
                            + "\" (expected url or name, headers, body, format)");
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("upstream: unexpected content after the object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("upstream is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("upstream is not valid JSON");
        }
        if (body == null) {
            throw new IllegalArgumentException("upstream.body is required (the request body for the model API)");
        }

        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(callerHeaders);
        URI uri;
        Duration firstByte = config.firstByteTimeout();
        Duration idle = config.idleTimeout();
        Duration total = config.totalTimeout();
        if (name != null) {
            if (url != null) {
                throw new IllegalArgumentException("upstream: give url or name, not both");
            }
            AiRelayConfig.Upstream u = configured.get(name);
            if (u == null) {
                throw new IllegalArgumentException("upstream.name \"" + name + "\" is not configured (ai.upstreams"
                        + (configured.isEmpty() ? " is empty" : " has " + String.join(", ",
                        new java.util.TreeSet<>(configured.keySet()))) + ")");
            }
            uri = u.url();
            u.headers().forEach((header, value) -> {
                headers.remove(header);
                headers.put(header, value);
            });
            formatName = formatName != null ? formatName : u.format();
            firstByte = u.firstByteTimeout() != null ? u.firstByteTimeout() : firstByte;
            idle = u.idleTimeout() != null ? u.idleTimeout() : idle;
            total = u.totalTimeout() != null ? u.totalTimeout() : total;
        } else if (url != null) {
            if (!config.allowUrls()) {
                throw new IllegalArgumentException("upstream.url is not allowed here (ai.relay.allow_urls is off): "
                        + "name a configured upstream");
            }
            uri = httpUri(url);
        } else {
            throw new IllegalArgumentException("upstream.url or upstream.name is required");
        }
        if (formatName == null) {
            throw new IllegalArgumentException("upstream.format is required: one of " + UpstreamFormat.names());
        }
        UpstreamFormat format;
        try {
            format = UpstreamFormat.of(formatName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("upstream." + e.getMessage());
        }
        if (format.needsStreamFlag()) {
            body = withStreamFlag(body);
        }
        List<String> secrets = new ArrayList<>(headers.values());
        if (uri.getRawQuery() != null) {
            secrets.add(uri.getRawQuery());
        }
        headers.putIfAbsent("Accept", format == UpstreamFormat.NDJSON ? "application/x-ndjson" : "text/event-stream");
        return new UpstreamCall(uri, where(uri), Map.copyOf(new LinkedHashMap<>(headers)), body, format, firstByte,
                idle, total, List.copyOf(secrets));
    }

    private static String string(JsonParser p, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("upstream." + field + " must be a string");
        }
        return p.getText();
    }

    private static void headers(JsonParser p, JsonToken value, Map<String, String> into) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("upstream.headers must be an object of strings");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String header = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("upstream.headers." + header + " must be a string");
            }
            if (header.isEmpty() || header.chars().anyMatch(c -> c <= ' ' || c == ':' || c >= 127)) {
                throw new IllegalArgumentException("upstream.headers: invalid header name");
            }
            into.put(header, p.getText());
        }
    }

    static URI httpUri(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("upstream.url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("upstream.url must be http:// or https:// with a host and no user info");
        }
        return uri;
    }

    /** The URL as messages may show it: scheme, host, port and path; never the query or user info. */
    static String where(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** The body asking to stream: unchanged when it says {@code "stream": true}, spliced when it says nothing. */
    private static byte[] withStreamFlag(byte[] body) {
        JsonNode tree;
        try {
            tree = TREE.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("upstream.body is not valid JSON");
        }
        JsonNode stream = tree.get("stream");
        if (stream != null) {
            if (!stream.isBoolean() || !stream.booleanValue()) {
                throw new IllegalArgumentException("upstream.body.stream must be true (or absent: it is then added)");
            }
            return body;
        }
        int brace = 0;
        while (body[brace] != '{') {
            brace++;
        }
        boolean empty = tree.isEmpty();
        byte[] out = new byte[body.length + STREAM_TRUE.length + (empty ? 0 : 1)];
        System.arraycopy(body, 0, out, 0, brace + 1);
        System.arraycopy(STREAM_TRUE, 0, out, brace + 1, STREAM_TRUE.length);
        int at = brace + 1 + STREAM_TRUE.length;
        if (!empty) {
            out[at++] = ',';
        }
        System.arraycopy(body, brace + 1, out, at, body.length - brace - 1);
        return out;
    }
}
