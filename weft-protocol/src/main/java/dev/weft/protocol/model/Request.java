package dev.weft.protocol.model;

/** The one request a {@link Command} carries. */
public sealed interface Request
        permits ConnectRequest, SubscribeRequest, UnsubscribeRequest, PublishRequest, PresenceRequest,
                PresenceStatsRequest, HistoryRequest, PingRequest, SendRequest, RpcRequest, RefreshRequest,
                SubRefreshRequest {

    /** The method's name on the wire (the JSON field, e.g. {@code "presence_stats"}), also used in metrics. */
    static String methodName(Request request) {
        return switch (request) {
            case ConnectRequest r -> "connect";
            case SubscribeRequest r -> "subscribe";
            case UnsubscribeRequest r -> "unsubscribe";
            case PublishRequest r -> "publish";
            case PresenceRequest r -> "presence";
            case PresenceStatsRequest r -> "presence_stats";
            case HistoryRequest r -> "history";
            case PingRequest r -> "ping";
            case SendRequest r -> "send";
            case RpcRequest r -> "rpc";
            case RefreshRequest r -> "refresh";
            case SubRefreshRequest r -> "sub_refresh";
        };
    }
}
