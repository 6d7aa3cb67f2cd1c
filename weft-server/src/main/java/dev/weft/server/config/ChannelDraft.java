package dev.weft.server.config;

import dev.weft.core.channel.ChannelOptions;

import java.time.Duration;

/**
 * Channel options being read: the builder plus the values cross-checked before building (the record's
 * constructor would reject a bad combination with a less helpful message). One per load; not thread-safe.
 */
final class ChannelDraft {
    final ChannelOptions.Builder builder;
    int historySize;
    Duration historyTtl;
    Duration historyMetaTtl;
    boolean forceRecovery;

    ChannelDraft(ChannelOptions from) {
        builder = from.toBuilder();
        historySize = from.historySize();
        historyTtl = from.historyTtl();
        historyMetaTtl = from.historyMetaTtl();
        forceRecovery = from.forceRecovery();
    }
}
