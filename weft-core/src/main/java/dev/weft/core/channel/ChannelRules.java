package dev.weft.core.channel;

import dev.weft.core.CommandFailedException;
import dev.weft.protocol.ErrorCode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads channel names the way Centrifugo does: {@code namespace:rest} picks the namespace's options, a
 * name without the boundary uses the options for channels without namespace, {@code $…} is private
 * (needs a subscription token), and {@code …#u1,u2} is limited to the listed users where the namespace
 * allows user-limited channels.
 *
 * <p>Thread-safe (immutable).
 */
public final class ChannelRules {
    private final ChannelConfig config;
    private final Map<String, ChannelOptions> byNamespace = new HashMap<>();

    public ChannelRules(ChannelConfig config) {
        this.config = config;
        config.namespaces().forEach(ns -> byNamespace.put(ns.name(), ns.options()));
    }

    public ChannelConfig config() {
        return config;
    }

    /**
     * Options of the channel's namespace.
     *
     * @throws CommandFailedException 107 for an empty name, 106 for a too long one, 102 for an unknown
     *                                namespace or a name the namespace's {@code channel_regex} refuses
     */
    public ChannelOptions optionsFor(String channel) {
        if (channel == null || channel.isEmpty()) {
            throw new CommandFailedException(ErrorCode.BAD_REQUEST, "channel required");
        }
        if (channel.length() > config.maxLength()) {
            throw new CommandFailedException(ErrorCode.LIMIT_EXCEEDED,
                    "channel name longer than " + config.maxLength());
        }
        String name = stripPrivatePrefix(channel);
        int boundary = name.indexOf(config.namespaceBoundary());
        ChannelOptions options;
        String rest;
        if (boundary < 0) {
            options = config.withoutNamespace();
            rest = name;
        } else {
            String ns = name.substring(0, boundary);
            options = byNamespace.get(ns);
            if (options == null) {
                throw new CommandFailedException(ErrorCode.UNKNOWN_CHANNEL, "unknown namespace '" + ns + "'");
            }
            rest = name.substring(boundary + config.namespaceBoundary().length());
        }
        if (options.channelRegex() != null && !options.channelRegex().matcher(rest).matches()) {
            throw new CommandFailedException(ErrorCode.UNKNOWN_CHANNEL, "channel does not match channel_regex");
        }
        return options;
    }

    /** The channel's namespace name: what precedes the boundary (after a private prefix); "" when none. */
    public String namespaceOf(String channel) {
        String name = stripPrivatePrefix(channel);
        int boundary = name.indexOf(config.namespaceBoundary());
        return boundary < 0 ? "" : name.substring(0, boundary);
    }

    /** Whether the channel needs a subscription token ({@code $} prefix). */
    public boolean isPrivate(String channel) {
        return !config.privatePrefix().isEmpty() && channel.startsWith(config.privatePrefix());
    }

    /** Whether the channel names users after the user boundary ({@code #}). */
    public boolean isUserLimited(String channel) {
        return !config.userBoundary().isEmpty() && channel.contains(config.userBoundary());
    }

    /** Whether {@code user} is one of the users a {@code #} channel is limited to. */
    public boolean userAllowed(String channel, String user) {
        int at = channel.lastIndexOf(config.userBoundary());
        if (at < 0 || user.isEmpty()) {
            return false;
        }
        String users = channel.substring(at + config.userBoundary().length());
        return Arrays.asList(users.split(java.util.regex.Pattern.quote(config.userSeparator()))).contains(user);
    }

    private String stripPrivatePrefix(String channel) {
        return isPrivate(channel) ? channel.substring(config.privatePrefix().length()) : channel;
    }
}
