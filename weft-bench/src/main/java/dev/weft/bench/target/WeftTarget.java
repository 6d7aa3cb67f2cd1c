package dev.weft.bench.target;

import dev.weft.bench.load.Dialect;
import dev.weft.bench.load.WeftDialect;
import dev.weft.protocol.ProtocolType;

import java.util.List;
import java.util.Map;

/**
 * Weft itself: {@code dev.weft.server.Main serve} (what {@code ./weft serve} runs) with
 * {@code targets/weft-bench.json}, measured with JSON or Protobuf clients.
 */
public final class WeftTarget implements Target {

    private final ProtocolType format;

    public WeftTarget(ProtocolType format) {
        this.format = format;
    }

    @Override
    public String name() {
        return format == ProtocolType.PROTOBUF ? "weft-protobuf" : "weft";
    }

    @Override
    public Dialect dialect() {
        return new WeftDialect(format);
    }

    @Override
    public Running start(TargetEnvironment env, boolean trackNativeMemory) throws Exception {
        int port = ServerProcess.freePort();
        List<String> command = env.java().command("dev.weft.server.Main", trackNativeMemory,
                env.flightRecording(name()), List.of("serve",
                        "--config", env.benchHome().resolve("targets/weft-bench.json").toString(),
                        "--address", "127.0.0.1", "--port", Integer.toString(port)));
        ServerProcess process = ServerProcess.start(command, Map.of(), env.runDir(), env.log(name()), port);
        return new ProcessRunning(process, port, jvmMemory(trackNativeMemory));
    }

    /** A JVM target's memory, through jcmd. */
    static ProcessRunning.MemoryProbe jvmMemory(boolean trackNativeMemory) {
        return (process, port) -> JvmMemory.sample(process.pid(), trackNativeMemory);
    }
}
