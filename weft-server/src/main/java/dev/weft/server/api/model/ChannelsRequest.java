package dev.weft.server.api.model;

@Doc("Active channels (with at least one subscriber) on this node.")
public record ChannelsRequest(
        @Doc("Glob pattern the channel names must match (`*`, `?`, `[a-z]`, `[!a]`, `{a,b}`, `\\` escapes), "
                + "as Centrifugo's gobwas/glob without separators.") String pattern) {
    public ChannelsRequest {
        pattern = pattern == null ? "" : pattern;
    }
}
