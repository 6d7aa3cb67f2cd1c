package dev.weft.bench.target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for JVM targets: the JDK running the harness, its classpath (which holds Weft's server and
 * the ceiling), and the flags {@code ./weft serve} uses, plus the benchmark's heap size and, when asked,
 * native memory tracking or a flight recording.
 */
public final class JavaLauncher {

    private final List<String> extraFlags;

    /** {@code extraFlags} are added to every JVM target (e.g. from {@code --server-jvm-opts}). */
    public JavaLauncher(List<String> extraFlags) {
        this.extraFlags = List.copyOf(extraFlags);
    }

    public List<String> command(String mainClass, boolean trackNativeMemory, Path flightRecording,
                                List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Xms512m");
        command.add("-Xmx2g");
        if (trackNativeMemory) {
            command.add("-XX:NativeMemoryTracking=summary");
        }
        if (flightRecording != null) {
            command.add("-XX:StartFlightRecording=filename=" + flightRecording + ",settings=profile,dumponexit=true");
        }
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** jcmd of the running JDK. */
    public static String jcmd() {
        return ProcessHandle.current().info().command()
                .map(java -> Path.of(java).resolveSibling("jcmd").toString()).orElse("jcmd");
    }
}
