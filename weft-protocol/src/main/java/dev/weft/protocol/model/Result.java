package dev.weft.protocol.model;

/** The one result a {@link Reply} carries (a {@link Push} is a result too: it is sent as a reply with id 0). */
public sealed interface Result
        permits ConnectResult, SubscribeResult, UnsubscribeResult, PublishResult, PresenceResult,
                PresenceStatsResult, HistoryResult, PingResult, RpcResult, RefreshResult, SubRefreshResult, Push {
}
