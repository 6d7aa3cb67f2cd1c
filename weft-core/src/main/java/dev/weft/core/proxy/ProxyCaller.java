package dev.weft.core.proxy;

import dev.weft.protocol.ProtocolType;

import java.util.Map;
import java.util.Objects;

/**
 * The connection a proxied event comes from, as every proxy request names it.
 *
 * @param client          the client id
 * @param transport       transport name ({@code websocket}, {@code sse}, {@code uni_sse}, …)
 * @param protocol        the client protocol's format
 * @param user            the user id ("" before connect and for anonymous connections)
 * @param meta            the connection's {@code meta} (raw JSON), or null
 * @param headers         the connection's transport-level request headers (lower-case names)
 * @param emulatedHeaders headers the client sent in its connect command (lower-case names)
 */
public record ProxyCaller(String client, String transport, ProtocolType protocol, String user, byte[] meta,
                          Map<String, String> headers, Map<String, String> emulatedHeaders) {
    public ProxyCaller {
        Objects.requireNonNull(client);
        Objects.requireNonNull(transport);
        Objects.requireNonNull(protocol);
        user = user == null ? "" : user;
        headers = headers == null ? Map.of() : headers;
        emulatedHeaders = emulatedHeaders == null ? Map.of() : emulatedHeaders;
    }
}
