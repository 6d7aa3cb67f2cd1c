package dev.weft.bench.report;

import dev.weft.bench.report.LineChart.Point;
import dev.weft.bench.scenario.Measurement;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** The PNG charts written next to the result file, from the median rows. */
public final class Charts {

    private Charts() {
    }

    /** Writes the charts of {@code scenario} into {@code dir}; returns the files written. */
    public static List<Path> write(String scenario, List<Measurement> medians, List<String> targets, Path dir)
            throws IOException {
        List<Measurement> rows = medians.stream().filter(m -> m.scenario().equals(scenario)).toList();
        List<Path> files = new ArrayList<>();
        switch (scenario) {
            case "idle" -> {
                add(files, dir.resolve("idle-rss.png"), chart("idle: server RSS per connection",
                        "connections", "KiB per connection (RSS)", rows, targets,
                        m -> (double) m.connections(), m -> kib(m.rssPerConnection())));
                add(files, dir.resolve("idle-heap.png"), chart("idle: heap + direct memory per connection",
                        "connections", "KiB per connection (heap + direct)", rows, targets,
                        m -> (double) m.connections(), m -> kib(m.managedPerConnection())));
            }
            case "connect-storm" -> add(files, dir.resolve("connect-storm.png"),
                    chart("connect-storm: p99 connect time", "offered connects/s", "p99 connect ms", rows, targets,
                            Measurement::offered, Measurement::p99Ms));
            default -> {
                for (int n : rows.stream().map(Measurement::connections).distinct().sorted().toList()) {
                    List<Measurement> atN = rows.stream().filter(m -> m.connections() == n).toList();
                    add(files, dir.resolve(scenario + "-latency-n" + n + ".png"),
                            chart(scenario + ", " + n + " connections: p99 latency vs load", "delivered per second",
                                    "p99 publish→deliver ms", atN, targets, Measurement::perSecond,
                                    Measurement::p99Ms));
                    add(files, dir.resolve(scenario + "-efficiency-n" + n + ".png"),
                            chart(scenario + ", " + n + " connections: deliveries per server CPU-second",
                                    "delivered per second", "deliveries per CPU-second", atN, targets,
                                    Measurement::perSecond, Measurement::deliveriesPerCpuSecond));
                }
            }
        }
        return files;
    }

    private static void add(List<Path> files, Path file, LineChart chart) throws IOException {
        if (!chart.isEmpty()) {
            chart.writePng(file);
            files.add(file);
        }
    }

    private static LineChart chart(String title, String x, String y, List<Measurement> rows, List<String> targets,
                                   Function<Measurement, Double> xOf, Function<Measurement, Double> yOf) {
        LineChart chart = new LineChart(title, x, y);
        for (String target : targets) {
            chart.series(target, rows.stream().filter(m -> m.target().equals(target))
                    .filter(m -> xOf.apply(m) != null && yOf.apply(m) != null)
                    .map(m -> new Point(xOf.apply(m), Math.max(0, yOf.apply(m))))
                    .sorted(Comparator.comparingDouble(Point::x)).toList());
        }
        return chart;
    }

    private static Double kib(Double bytes) {
        return bytes == null ? null : bytes / 1024.0;
    }
}
