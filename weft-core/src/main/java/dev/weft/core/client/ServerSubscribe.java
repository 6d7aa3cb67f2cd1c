package dev.weft.core.client;

import dev.weft.core.channel.ChannelOptions;

/**
 * How the server subscribes a connection to a channel on its own initiative (server API {@code subscribe}).
 *
 * @param options     the channel's options, possibly with per-subscription overrides (presence, join/leave,
 *                    forced recovery/positioning) already applied
 * @param channelInfo channel info for presence and join/leave ({@code chan_info}); null = none
 * @param data        data sent to the client in the {@code subscribe} push; null = none
 */
public record ServerSubscribe(ChannelOptions options, byte[] channelInfo, byte[] data) {
    public ServerSubscribe {
        if (options == null) {
            throw new IllegalArgumentException("options required");
        }
    }
}
