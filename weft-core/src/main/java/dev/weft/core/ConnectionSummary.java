package dev.weft.core;

import java.util.List;

/**
 * One open connection of this node as an operator sees it (the server API's {@code connections}).
 *
 * @param clientId      the connection's client id
 * @param user          its user; "" for anonymous connections
 * @param transport     the transport's name ({@code websocket}, {@code sse}, …)
 * @param remoteAddress the peer's address as the transport reports it
 * @param channels      the channels it is subscribed to, in name order
 */
public record ConnectionSummary(String clientId, String user, String transport, String remoteAddress,
                                List<String> channels) {
    public ConnectionSummary {
        channels = List.copyOf(channels);
    }
}
