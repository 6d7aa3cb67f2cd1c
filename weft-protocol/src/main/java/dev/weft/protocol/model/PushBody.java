package dev.weft.protocol.model;

/** What a {@link Push} delivers. {@link ConnectResult} doubles as the {@code connect} push (same fields). */
public sealed interface PushBody
        permits Publication, Join, Leave, UnsubscribePush, Message, SubscribePush, ConnectResult, Disconnect,
                RefreshPush {
}
