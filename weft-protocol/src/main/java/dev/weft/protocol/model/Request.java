package dev.weft.protocol.model;

/** The one request a {@link Command} carries. */
public sealed interface Request
        permits ConnectRequest, SubscribeRequest, UnsubscribeRequest, PublishRequest, PresenceRequest,
                PresenceStatsRequest, HistoryRequest, PingRequest, SendRequest, RpcRequest, RefreshRequest,
                SubRefreshRequest {
}
