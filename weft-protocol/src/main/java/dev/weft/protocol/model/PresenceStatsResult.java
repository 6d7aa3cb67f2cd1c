package dev.weft.protocol.model;

public record PresenceStatsResult(int numClients, int numUsers) implements Result {
}
