package dev.weft.bench.target;

import java.nio.file.Path;

/**
 * Where targets find their files and put their logs.
 *
 * @param benchHome     the {@code weft-bench} module directory (holds {@code targets/})
 * @param runDir        where server logs, generated configs and flight recordings go
 * @param java          command lines for JVM targets
 * @param flightRecord  record JVM targets with JFR into {@code runDir}
 */
public record TargetEnvironment(Path benchHome, Path runDir, JavaLauncher java, boolean flightRecord) {

    Path log(String name) {
        return runDir.resolve("logs").resolve(name + "-" + System.currentTimeMillis() + ".log");
    }

    Path flightRecording(String name) {
        return flightRecord ? runDir.resolve(name + "-" + System.currentTimeMillis() + ".jfr") : null;
    }
}
