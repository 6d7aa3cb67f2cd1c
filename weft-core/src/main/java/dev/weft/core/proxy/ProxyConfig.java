package dev.weft.core.proxy;

import java.util.Map;

/**
 * Which client events go to which backend, resolved from Centrifugo v6 config: the connection-wide
 * {@code client.proxy.connect} / {@code refresh}, and per namespace ({@code ""} = channels or RPC methods
 * without namespace) the channel-wide {@code subscribe} / {@code publish} / {@code sub_refresh} proxies and
 * the {@code rpc} proxy. A namespace is in a map only when its switch ({@code subscribe_proxy_enabled}, …,
 * {@code rpc.*.proxy_enabled}) is on; named proxies ({@code *_proxy_name}) are already looked up.
 *
 * @param connect              null when connections are not proxied
 * @param refresh              null when connections refresh with tokens
 * @param rpcNamespaceBoundary separates an RPC method's namespace from its name ({@code rpc.namespace_boundary})
 */
public record ProxyConfig(ProxyOptions connect, ProxyOptions refresh, Map<String, ProxyOptions> subscribe,
                          Map<String, ProxyOptions> publish, Map<String, ProxyOptions> subRefresh,
                          Map<String, ProxyOptions> rpc, String rpcNamespaceBoundary) {
    public static final ProxyConfig NONE = new ProxyConfig(null, null, Map.of(), Map.of(), Map.of(), Map.of(), ":");

    public ProxyConfig {
        subscribe = subscribe == null ? Map.of() : Map.copyOf(subscribe);
        publish = publish == null ? Map.of() : Map.copyOf(publish);
        subRefresh = subRefresh == null ? Map.of() : Map.copyOf(subRefresh);
        rpc = rpc == null ? Map.of() : Map.copyOf(rpc);
        rpcNamespaceBoundary = rpcNamespaceBoundary == null || rpcNamespaceBoundary.isEmpty() ? ":"
                : rpcNamespaceBoundary;
    }

    /** Whether any event is proxied. */
    public boolean any() {
        return connect != null || refresh != null || !subscribe.isEmpty() || !publish.isEmpty()
                || !subRefresh.isEmpty() || !rpc.isEmpty();
    }

    /** The namespace of an RPC method ({@code "ns:method"} → {@code "ns"}; none → {@code ""}). */
    public String rpcNamespace(String method) {
        int at = method.indexOf(rpcNamespaceBoundary);
        return at < 0 ? "" : method.substring(0, at);
    }
}
