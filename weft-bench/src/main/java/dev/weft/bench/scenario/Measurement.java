package dev.weft.bench.scenario;

/**
 * One measured point: a scenario step against one target in one repeat. Fields a scenario does not measure
 * are null (written as {@code null} in the JSON result).
 *
 * @param offered             what the step asked for: deliveries/s (fanout, many-channels), connects/s
 *                            (connect-storm) or connections held (idle)
 * @param expected            messages (or connections) that should have arrived
 * @param delivered           messages (or connections) that did
 * @param lost                connections the server closed during the step
 * @param serverCpuSeconds    user + system CPU of the server process during the step
 * @param cpuSecondsPerMillion server CPU-seconds per million deliveries (all server processes of a cluster)
 * @param brokerCpuSecondsPerMillion CPU-seconds of the Redis or NATS server behind a cluster per million
 *                            deliveries; null for targets without one
 * @param memory              idle only: the server's memory with {@code connections} open, per connection
 *                            above the empty server, in bytes
 */
public record Measurement(String scenario, String target, int repeat, int connections, double offered,
                          Long expected, Long delivered, Long lost, Long skipped, Double seconds,
                          Double perSecond, Double serverCpuSeconds, Double cpuSecondsPerMillion,
                          Double p50Ms, Double p99Ms, Double p999Ms, Double maxMs,
                          Long rssBytes, Long heapBytes, Long directBytes,
                          Double rssPerConnection, Double managedPerConnection, Double brokerCpuSecondsPerMillion,
                          String note) {

    /** Deliveries per server CPU-second, the efficiency the goals compare; null when not measured. */
    public Double deliveriesPerCpuSecond() {
        return cpuSecondsPerMillion == null || cpuSecondsPerMillion <= 0 ? null : 1e6 / cpuSecondsPerMillion;
    }

    /** This measurement with {@code note} added. */
    public Measurement withNote(String note) {
        return new Measurement(scenario, target, repeat, connections, offered, expected, delivered, lost, skipped,
                seconds, perSecond, serverCpuSeconds, cpuSecondsPerMillion, p50Ms, p99Ms, p999Ms, maxMs, rssBytes,
                heapBytes, directBytes, rssPerConnection, managedPerConnection, brokerCpuSecondsPerMillion,
                this.note == null ? note : this.note + "; " + note);
    }

    /** Whether everything expected arrived and no connection was lost. */
    public boolean complete() {
        return (expected == null || expected.equals(delivered)) && (lost == null || lost == 0);
    }
}
