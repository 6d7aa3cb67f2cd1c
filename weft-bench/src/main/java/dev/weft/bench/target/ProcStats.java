package dev.weft.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of a process from /proc: the server's own numbers, unaffected by the
 * generator sharing the machine's cores.
 */
public final class ProcStats {

    /** Linux reports utime/stime in USER_HZ ticks, 100 per second on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** User + system CPU seconds the process has used so far (utime + stime, fields 14 and 15 of stat). */
    public static double cpuSeconds(long pid) throws IOException {
        return cpuSecondsOfStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** The CPU seconds of several processes together (e.g. every node of a cluster). */
    public static double cpuSeconds(List<Long> pids) throws IOException {
        double sum = 0;
        for (long pid : pids) {
            sum += cpuSeconds(pid);
        }
        return sum;
    }

    /** utime + stime of one {@code /proc/<pid>/stat} line, in seconds. */
    static double cpuSecondsOfStat(String stat) {
        // The command name (field 2) may hold spaces and parentheses; fields after it are counted from the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (utime + stime) / TICKS_PER_SECOND;
    }

    /** Resident set size in bytes (VmRSS of /proc/&lt;pid&gt;/status). */
    public static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** The soft limit on open files of this process (from /proc/self/limits), or -1 if unknown. */
    public static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
