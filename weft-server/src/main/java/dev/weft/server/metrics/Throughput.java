package dev.weft.server.metrics;

/**
 * Frames and bytes sent to and received from clients since the start, over every transport, and the
 * publications this node's broker accepted (server API and clients): a reader samples it twice and divides the
 * difference by the time between (see {@link ServerMetrics#throughput()}).
 */
public record Throughput(long messagesSent, long bytesSent, long messagesReceived, long bytesReceived,
                         long publications) {
}
