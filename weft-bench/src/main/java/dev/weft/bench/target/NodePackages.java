package dev.weft.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The npm packages of a Node target ({@code targets/<name>}, versions pinned by its package-lock). */
final class NodePackages {

    private NodePackages() {
    }

    /** {@code npm ci} in {@code dir} when {@code node_modules/<marker>} is missing or older than the lock file. */
    static synchronized void install(Path dir, String marker) throws IOException, InterruptedException {
        requireOnPath("node");
        requireOnPath("npm");
        Path modules = dir.resolve("node_modules");
        Path lock = dir.resolve("package-lock.json");
        if (Files.isDirectory(modules.resolve(marker))
                && Files.getLastModifiedTime(modules).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes());
        if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
            throw new IOException("npm ci in " + dir + " failed:\n" + out);
        }
    }

    static void requireOnPath(String binary) throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return;
            }
        }
        throw new IOException("the " + binary + " executable is not on PATH; the Node targets need Node 18+"
                + " and npm (e.g. apt-get install nodejs npm)");
    }
}
