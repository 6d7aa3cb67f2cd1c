package dev.weft.bench.report;

import dev.weft.bench.load.LoadGenerator;
import dev.weft.bench.target.ProcStats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about the machine a run happened on, recorded in the result file.
 *
 * @param openFilesLimit    the soft limit on open files the harness (and the servers it starts) got
 * @param localPortRange    net.ipv4.ip_local_port_range
 * @param sourceAddresses   how many 127.0.0.x addresses the generator spreads its connections over
 */
public record Machine(int cores, String cpu, long memoryBytes, String os, String jdk, boolean epoll,
                      long openFilesLimit, String localPortRange, int sourceAddresses, String loadAverage) {

    public static Machine current(boolean epoll) {
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memTotal(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.vendor") + " " + Runtime.version(), epoll, ProcStats.openFilesLimit(),
                oneLine("/proc/sys/net/ipv4/ip_local_port_range"), LoadGenerator.SOURCE_ADDRESSES,
                oneLine("/proc/loadavg"));
    }

    private static String cpuModel() {
        return read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }

    private static long memTotal() {
        return read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1);
    }

    private static String oneLine(String file) {
        return read(file).trim().replaceAll("\\s+", " ");
    }

    private static String read(String file) {
        try {
            // Line by line: /proc files report size 0, which trips whole-file reads.
            return String.join("\n", Files.readAllLines(Path.of(file)));
        } catch (IOException e) {
            return "";
        }
    }
}
