package dev.weft.server.api.model;

@Doc("An active channel.")
public record ChannelInfo(@Doc("Connections subscribed to it on this node.") int numClients) {
}
