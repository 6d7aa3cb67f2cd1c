package dev.weft.core;

/**
 * What one node holds now (the server API's {@code info}).
 *
 * @param clients       open connections
 * @param users         distinct users among them (the anonymous connections count as one)
 * @param channels      channels with at least one subscriber here
 * @param subscriptions subscriptions of all channels here
 */
public record NodeStats(int clients, int users, int channels, int subscriptions) {
}
