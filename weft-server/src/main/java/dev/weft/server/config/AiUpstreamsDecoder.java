package dev.weft.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.config.Values.BadValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code ai.upstreams}: an object of named upstreams, each {@code {"url", "headers", "format",
 * "first_byte_timeout", "idle_timeout", "total_timeout"}}; over the environment one JSON value
 * ({@code WEFT_AI_UPSTREAMS='{"openai": {…}}'}). Header values are never shown in messages. Stateless.
 */
final class AiUpstreamsDecoder implements Values.Decoder<Map<String, AiRelayConfig.Upstream>> {
    private static final Set<String> KEYS = Set.of("url", "headers", "format", "first_byte_timeout",
            "idle_timeout", "total_timeout");
    private static final Values.Decoder<Duration> DURATION = Values.duration(Duration.ofMillis(1));

    @Override
    public Map<String, AiRelayConfig.Upstream> decode(JsonNode node) throws BadValue {
        if (node.isTextual()) {
            try {
                node = ConfigFiles.JSON.readTree(node.textValue());
            } catch (JsonProcessingException e) {
                // Not the parser's message: it quotes the text around the error, which may be a header value.
                throw new BadValue("expected a JSON object of named upstreams, got invalid JSON"
                        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")"));
            }
        }
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new BadValue("expected an object of named upstreams, got " + Values.show(node));
        }
        Map<String, AiRelayConfig.Upstream> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            try {
                out.put(name, upstream(entry.getValue()));
            } catch (BadValue e) {
                throw new BadValue("upstream \"" + name + "\": " + e.getMessage());
            }
        }
        return out;
    }

    private static AiRelayConfig.Upstream upstream(JsonNode u) throws BadValue {
        if (!u.isObject()) {
            throw new BadValue("expected an object with url, headers, format");
        }
        for (Map.Entry<String, JsonNode> field : u.properties()) {
            if (!KEYS.contains(field.getKey())) {
                throw new BadValue("unknown key \"" + field.getKey() + "\" (expected " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        JsonNode url = u.get("url");
        if (url == null || !url.isTextual()) {
            throw new BadValue("url is required (an http:// or https:// URL)");
        }
        URI uri;
        try {
            uri = new URI(url.textValue());
        } catch (URISyntaxException e) {
            throw new BadValue("url is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getUserInfo() != null) {
            throw new BadValue("url must be http:// or https:// with a host and no user info");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = u.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                throw new BadValue("headers must be an object of strings");
            }
            for (Map.Entry<String, JsonNode> header : h.properties()) {
                if (!header.getValue().isTextual()) {
                    throw new BadValue("header " + header.getKey() + " must be a string");
                }
                headers.put(header.getKey(), header.getValue().textValue());
            }
        }
        String format = null;
        JsonNode f = u.get("format");
        if (f != null && !f.isNull()) {
            if (!f.isTextual() || !AiRelayConfig.FORMATS.contains(f.textValue())) {
                throw new BadValue("format must be one of " + String.join(", ", AiRelayConfig.FORMATS));
            }
            format = f.textValue();
        }
        return new AiRelayConfig.Upstream(uri, headers, format, duration(u, "first_byte_timeout"),
                duration(u, "idle_timeout"), duration(u, "total_timeout"));
    }

    private static Duration duration(JsonNode u, String key) throws BadValue {
        JsonNode d = u.get(key);
        if (d == null || d.isNull()) {
            return null;
        }
        try {
            return DURATION.decode(d);
        } catch (BadValue e) {
            throw new BadValue(key + ": " + e.getMessage());
        }
    }
}
