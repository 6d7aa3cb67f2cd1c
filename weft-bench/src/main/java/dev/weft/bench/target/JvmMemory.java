package dev.weft.bench.target;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap and direct memory of a JVM target through {@code jcmd}: a full GC ({@code GC.run}), then the heap's
 * used size ({@code GC.heap_info}) and, when the target runs with native memory tracking, the committed
 * "Other" category of {@code VM.native_memory summary}, where direct buffers (Netty's included) are counted.
 */
final class JvmMemory {

    private static final Pattern HEAP_USED = Pattern.compile("total.*?used (\\d+)K");
    private static final Pattern OTHER = Pattern.compile("Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    private JvmMemory() {
    }

    static MemorySample sample(long pid, boolean nativeMemoryTracked) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        long heapBytes = heap.find() ? Long.parseLong(heap.group(1)) * 1024 : -1;
        long direct = -1;
        if (nativeMemoryTracked) {
            Matcher other = OTHER.matcher(jcmd(pid, "VM.native_memory", "summary"));
            direct = other.find() ? Long.parseLong(other.group(1)) * 1024 : -1;
        }
        return new MemorySample(ProcStats.rssBytes(pid), heapBytes, direct);
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of(JavaLauncher.jcmd(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
