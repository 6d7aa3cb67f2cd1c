package dev.weft.bench.report;

import dev.weft.bench.scenario.Measurement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Folds the repeats of a run into one row per (scenario, target, connections, offered load): the median of
 * every number. In a median row {@code repeat} is how many runs reached that point.
 */
public final class Medians {

    private Medians() {
    }

    public static List<Measurement> of(List<Measurement> runs) {
        Map<List<Object>, List<Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : runs) {
            groups.computeIfAbsent(List.of(m.scenario(), m.target(), m.connections(), m.offered()),
                    k -> new ArrayList<>()).add(m);
        }
        List<Measurement> medians = new ArrayList<>();
        for (List<Measurement> group : groups.values()) {
            Measurement first = group.getFirst();
            List<String> notes = group.stream().map(Measurement::note).filter(Objects::nonNull).distinct().toList();
            medians.add(new Measurement(first.scenario(), first.target(), group.size(), first.connections(),
                    first.offered(), longMedian(group, Measurement::expected), longMedian(group, Measurement::delivered),
                    longMedian(group, Measurement::lost), longMedian(group, Measurement::skipped),
                    median(group, Measurement::seconds), median(group, Measurement::perSecond),
                    median(group, Measurement::serverCpuSeconds), median(group, Measurement::cpuSecondsPerMillion),
                    median(group, Measurement::p50Ms), median(group, Measurement::p99Ms),
                    median(group, Measurement::p999Ms), median(group, Measurement::maxMs),
                    longMedian(group, Measurement::rssBytes), longMedian(group, Measurement::heapBytes),
                    longMedian(group, Measurement::directBytes), median(group, Measurement::rssPerConnection),
                    median(group, Measurement::managedPerConnection),
                    median(group, Measurement::brokerCpuSecondsPerMillion),
                    notes.isEmpty() ? null : String.join("; ", notes)));
        }
        return medians;
    }

    static Double median(List<Measurement> group, Function<Measurement, Double> field) {
        double[] values = group.stream().map(field).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .sorted().toArray();
        if (values.length == 0) {
            return null;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static Long longMedian(List<Measurement> group, Function<Measurement, Long> field) {
        long[] values = group.stream().map(field).filter(Objects::nonNull).mapToLong(Long::longValue).toArray();
        if (values.length == 0) {
            return null;
        }
        Arrays.sort(values);
        // The lower median: for counts, a value some run really had.
        return values[(values.length - 1) / 2];
    }
}
