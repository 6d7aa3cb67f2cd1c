package dev.weft.bench.report;

import dev.weft.bench.scenario.Measurement;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The stdout tables, one per scenario, in Markdown so they can be pasted into docs/benchmarks.md as they
 * are. Publishing scenarios also show each target's efficiency relative to the ceiling at the same point.
 */
public final class Tables {

    private Tables() {
    }

    public static String render(String scenario, List<Measurement> rows, List<String> targetOrder) {
        List<Measurement> sorted = rows.stream().filter(m -> m.scenario().equals(scenario))
                .sorted(Comparator.comparingInt(Measurement::connections)
                        .thenComparingDouble(Measurement::offered)
                        .thenComparingInt(m -> targetOrder.indexOf(m.target())))
                .toList();
        StringBuilder out = new StringBuilder("### ").append(scenario).append("\n\n");
        switch (scenario) {
            case "idle" -> {
                out.append("| connections | target | server RSS MiB | RSS per connection KiB | heap+direct per connection KiB | heap MiB | direct MiB | runs |\n");
                out.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
                for (Measurement m : sorted) {
                    out.append(row(m.connections(), m.target(), mib(m.rssBytes()), kib(m.rssPerConnection()),
                            kib(m.managedPerConnection()), mib(m.heapBytes()), mib(m.directBytes()), m.repeat()));
                }
            }
            case "connect-storm" -> {
                out.append("| offered connects/s | target | connections | ready | ready per s | p50 ms | p99 ms | max ms | server CPU s | runs |\n");
                out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                for (Measurement m : sorted) {
                    out.append(row(num(m.offered()), m.target(), m.connections(), m.delivered(), num(m.perSecond()),
                            ms(m.p50Ms()), ms(m.p99Ms()), ms(m.maxMs()), dec(m.serverCpuSeconds()), m.repeat()));
                }
            }
            case "cluster-fanout" -> {
                out.append("| subscribers | offered deliveries/s | target | delivered/s | p50 ms | p99 ms"
                        + " | Weft CPU s per M (all nodes) | deliveries per Weft CPU s | broker CPU s per M"
                        + " | × 1 node (deliveries per Weft CPU s) | all delivered | runs |\n");
                out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
                for (Measurement m : sorted) {
                    Double perCpu = m.deliveriesPerCpuSecond();
                    Double single = sorted.stream().filter(c -> c.target().equals(singleNodeOf(m.target()))
                                    && c.connections() == m.connections() && c.offered() == m.offered())
                            .map(Measurement::deliveriesPerCpuSecond).filter(Objects::nonNull).findFirst().orElse(null);
                    out.append(row(m.connections(), num(m.offered()), m.target(), num(m.perSecond()), ms(m.p50Ms()),
                            ms(m.p99Ms()), dec(m.cpuSecondsPerMillion()), num(perCpu),
                            dec(m.brokerCpuSecondsPerMillion()),
                            perCpu == null || single == null ? "" : String.format("%.2f", perCpu / single),
                            completeness(m), m.repeat()));
                }
            }
            case "ai-streams" -> {
                // CPU s per million tokens is CPU µs per token; the ratio compares with the first target (weft).
                out.append("| streams | offered tokens/s | target | delivered tokens/s | p50 ms | p99 ms | p99.9 ms"
                        + " | server CPU µs/token | broker (Redis) CPU µs/token | total CPU µs/token"
                        + " | total × first target | server RSS MiB | missing | duplicated | readers unfinished | runs |\n");
                out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                for (Measurement m : sorted) {
                    Double total = totalCpuPerToken(m);
                    Double first = sorted.stream().filter(c -> c.target().equals(targetOrder.getFirst())
                                    && c.connections() == m.connections() && c.offered() == m.offered())
                            .map(Tables::totalCpuPerToken).filter(Objects::nonNull).findFirst().orElse(null);
                    out.append(row(m.connections(), num(m.offered()), m.target(), num(m.perSecond()), ms(m.p50Ms()),
                            ms(m.p99Ms()), ms(m.p999Ms()), dec(m.cpuSecondsPerMillion()),
                            dec(m.brokerCpuSecondsPerMillion()), dec(total),
                            total == null || first == null ? "" : String.format("%.2f", total / first),
                            mib(m.rssBytes()), m.expected() == null || m.delivered() == null ? ""
                                    : m.expected() - m.delivered(), m.skipped(), m.lost(), m.repeat()));
                }
            }
            default -> {
                out.append("| connections | offered deliveries/s | target | delivered/s | p50 ms | p99 ms | p99.9 ms"
                        + " | server CPU s per M | deliveries per CPU s | × ceiling | all delivered | runs |\n");
                out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
                for (Measurement m : sorted) {
                    Double ceiling = sorted.stream().filter(c -> c.target().equals("ceiling")
                                    && c.connections() == m.connections() && c.offered() == m.offered())
                            .map(Measurement::deliveriesPerCpuSecond).filter(Objects::nonNull).findFirst().orElse(null);
                    Double perCpu = m.deliveriesPerCpuSecond();
                    out.append(row(m.connections(), num(m.offered()), m.target(), num(m.perSecond()), ms(m.p50Ms()),
                            ms(m.p99Ms()), ms(m.p999Ms()), dec(m.cpuSecondsPerMillion()), num(perCpu),
                            perCpu == null || ceiling == null ? "" : String.format("%.2f", perCpu / ceiling),
                            completeness(m), m.repeat()));
                }
            }
        }
        List<String> notes = sorted.stream().map(Measurement::note).filter(Objects::nonNull).distinct().toList();
        notes.forEach(n -> out.append("\nNote: ").append(n).append('\n'));
        return out.toString();
    }

    /** Server plus broker CPU per token (ai-streams: cpuSecondsPerMillion is CPU µs per token). */
    private static Double totalCpuPerToken(Measurement m) {
        return m.cpuSecondsPerMillion() == null ? null
                : m.cpuSecondsPerMillion() + (m.brokerCpuSecondsPerMillion() == null ? 0 : m.brokerCpuSecondsPerMillion());
    }

    /** {@code weft-redis-3} → {@code weft-redis-1}: the one-node cluster a cluster target is compared with. */
    static String singleNodeOf(String clusterTarget) {
        return clusterTarget.replaceFirst("-\\d+$", "-1");
    }

    private static String completeness(Measurement m) {
        return m.complete() ? "yes" : "no (" + m.delivered() + "/" + m.expected() + ", lost " + m.lost() + ")";
    }

    private static String row(Object... cells) {
        StringBuilder line = new StringBuilder("|");
        for (Object cell : cells) {
            line.append(' ').append(cell == null ? "" : cell).append(" |");
        }
        return line.append('\n').toString();
    }

    private static String num(Double v) {
        return v == null ? "" : String.format("%,.0f", v).replace(',', ' ');
    }

    private static String ms(Double v) {
        return v == null ? "" : v < 10 ? String.format("%.2f", v) : String.format("%.1f", v);
    }

    private static String dec(Double v) {
        return v == null ? "" : String.format("%.2f", v);
    }

    private static String mib(Long bytes) {
        return bytes == null ? "" : String.format("%.1f", bytes / 1048576.0);
    }

    private static String kib(Double bytes) {
        return bytes == null ? "" : String.format("%.2f", bytes / 1024.0);
    }
}
