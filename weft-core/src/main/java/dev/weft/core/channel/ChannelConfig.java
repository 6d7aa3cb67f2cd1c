package dev.weft.core.channel;

import java.util.List;

/**
 * How channel names are read and which options apply: options for channels without a namespace, the
 * namespaces, and the special characters (Centrifugo's defaults: {@code :} namespace boundary, {@code #}
 * user boundary, {@code ,} user separator, {@code $} private prefix).
 */
public record ChannelConfig(ChannelOptions withoutNamespace, List<Namespace> namespaces, int maxLength,
                            String namespaceBoundary, String userBoundary, String userSeparator,
                            String privatePrefix) {

    public static final ChannelConfig DEFAULT =
            new ChannelConfig(ChannelOptions.DEFAULT, List.of(), 255, ":", "#", ",", "$");

    public ChannelConfig {
        withoutNamespace = withoutNamespace == null ? ChannelOptions.DEFAULT : withoutNamespace;
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        long distinct = namespaces.stream().map(Namespace::name).distinct().count();
        if (distinct != namespaces.size()) {
            throw new IllegalArgumentException("namespace names must be unique");
        }
    }

    public ChannelConfig withNamespaces(ChannelOptions defaults, List<Namespace> newNamespaces) {
        return new ChannelConfig(defaults, newNamespaces, maxLength, namespaceBoundary, userBoundary,
                userSeparator, privatePrefix);
    }
}
