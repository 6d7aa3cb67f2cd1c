package dev.weft.bench.target;

import dev.weft.bench.ceiling.CeilingServer;
import dev.weft.bench.load.CeilingDialect;
import dev.weft.bench.load.Dialect;

import java.util.List;
import java.util.Map;

/** The {@link CeilingServer} in its own JVM, started with the same flags as Weft. */
public final class CeilingTarget implements Target {

    @Override
    public String name() {
        return "ceiling";
    }

    @Override
    public Dialect dialect() {
        return new CeilingDialect();
    }

    @Override
    public Running start(TargetEnvironment env, boolean trackNativeMemory) throws Exception {
        int port = ServerProcess.freePort();
        List<String> command = env.java().command(CeilingServer.class.getName(), trackNativeMemory,
                env.flightRecording(name()), List.of(Integer.toString(port)));
        ServerProcess process = ServerProcess.start(command, Map.of(), env.runDir(), env.log(name()), port);
        return new ProcessRunning(process, port, WeftTarget.jvmMemory(trackNativeMemory));
    }
}
