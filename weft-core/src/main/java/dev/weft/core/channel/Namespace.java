package dev.weft.core.channel;

import java.util.regex.Pattern;

/** A named group of channels ({@code name:rest}) sharing options. */
public record Namespace(String name, ChannelOptions options) {

    /** Centrifugo's rule for namespace names. */
    public static final Pattern VALID_NAME = Pattern.compile("^[-a-zA-Z0-9_.]{2,}$");

    public Namespace {
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid namespace name '" + name + "': must match "
                    + VALID_NAME.pattern());
        }
    }
}
