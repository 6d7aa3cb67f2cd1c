package dev.weft.server.config;

import java.time.Duration;

/**
 * {@code ai.streams.*} (a Weft addition): AI token streams ({@code /api/streams}, {@code /ai/streams/<id>},
 * {@code /ai/chat/<id>/stream}). The upstream relays' own keys ({@code ai.upstreams.*}) are not here.
 *
 * @param maxSize          most bytes of parts one stream may hold; the part that would pass it ends the stream
 *                         with an {@code error} part
 * @param maxDuration      a stream still open this long after it was created is ended with an {@code error} part
 * @param maxPerUser       streams one user (the {@code user} of {@code POST /api/streams}) may have open at once on
 *                         one node; 0 = no limit
 * @param chatChannel      the channel of a chat's responses, {@code {chat_id}} replaced by the chat id: where
 *                         {@code POST /api/streams {"chat_id"}} writes and {@code GET /ai/chat/<id>/stream} reads
 * @param coalesceWindow   how long an HTTP reader's text deltas are gathered before they are written
 * @param coalesceMaxSize  bytes of gathered text after which they are written at once, window or not
 */
public record AiStreamsConfig(long maxSize, Duration maxDuration, int maxPerUser, String chatChannel,
                              Duration coalesceWindow, int coalesceMaxSize) {
    public static final String CHAT_ID = "{chat_id}";
    public static final AiStreamsConfig DEFAULT = new AiStreamsConfig(4L * 1024 * 1024, Duration.ofMinutes(10), 16,
            "ai:chat_" + CHAT_ID, Duration.ofMillis(20), 16 * 1024);

    public AiStreamsConfig {
        if (maxSize < 1) {
            throw new IllegalArgumentException("ai.streams.max_size must be >= 1");
        }
        if (maxDuration == null || !maxDuration.isPositive()) {
            throw new IllegalArgumentException("ai.streams.max_duration must be > 0");
        }
        if (maxPerUser < 0) {
            throw new IllegalArgumentException("ai.streams.max_per_user must be >= 0");
        }
        if (chatChannel == null || !chatChannel.contains(CHAT_ID)) {
            throw new IllegalArgumentException("ai.streams.chat_channel must contain " + CHAT_ID);
        }
        if (coalesceWindow == null || coalesceWindow.isNegative() || coalesceWindow.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("ai.streams.coalesce_window must be between 0s and 10s");
        }
        if (coalesceMaxSize < 1) {
            throw new IllegalArgumentException("ai.streams.coalesce_max_size must be >= 1");
        }
    }

    /** The channel of chat {@code chatId}'s responses. */
    public String chatChannel(String chatId) {
        return chatChannel.replace(CHAT_ID, chatId);
    }

    public AiStreamsConfig withMaxSize(long v) {
        return new AiStreamsConfig(v, maxDuration, maxPerUser, chatChannel, coalesceWindow, coalesceMaxSize);
    }

    public AiStreamsConfig withMaxDuration(Duration v) {
        return new AiStreamsConfig(maxSize, v, maxPerUser, chatChannel, coalesceWindow, coalesceMaxSize);
    }

    public AiStreamsConfig withMaxPerUser(int v) {
        return new AiStreamsConfig(maxSize, maxDuration, v, chatChannel, coalesceWindow, coalesceMaxSize);
    }

    public AiStreamsConfig withChatChannel(String v) {
        return new AiStreamsConfig(maxSize, maxDuration, maxPerUser, v, coalesceWindow, coalesceMaxSize);
    }

    public AiStreamsConfig withCoalesceWindow(Duration v) {
        return new AiStreamsConfig(maxSize, maxDuration, maxPerUser, chatChannel, v, coalesceMaxSize);
    }

    public AiStreamsConfig withCoalesceMaxSize(int v) {
        return new AiStreamsConfig(maxSize, maxDuration, maxPerUser, chatChannel, coalesceWindow, v);
    }
}
