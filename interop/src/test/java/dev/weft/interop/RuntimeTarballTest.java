package dev.weft.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-contained tarball {@code ./mvnw package -Pjlink} builds: unpacked anywhere, its {@code bin/weft}
 * runs on the runtime inside it and answers {@code /health} and {@code /ready}. Runs only with {@code -Pjlink}
 * (interop/pom.xml), the profile that builds the tarball.
 */
class RuntimeTarballTest {
    @TempDir
    Path work;

    @Test
    void unpackedTarballServesOnItsOwnRuntime() throws Exception {
        Path tarball;
        try (var files = Files.list(ArtifactTest.DIST)) {
            tarball = files.filter(p -> p.getFileName().toString().endsWith("-linux-x64.tar.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tarball in " + ArtifactTest.DIST + ": build with -Pjlink"));
        }
        Process untar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", work.toString())
                .inheritIO().start();
        assertThat(untar.waitFor(120, TimeUnit.SECONDS) && untar.exitValue() == 0).as("tar -xzf").isTrue();
        String name = tarball.getFileName().toString().replace(".tar.gz", "");
        Path launcher = work.resolve(name).resolve("bin/weft");
        assertThat(Files.isExecutable(launcher)).isTrue();
        try (ArtifactTest.Served weft = ArtifactTest.serve(work, List.of(launcher.toString()), "--set", "engine.type=sqlite",
                "--set", "data_dir=" + work.resolve("data"))) {
            assertThat(weft.process().isAlive()).isTrue();
        }
    }
}
