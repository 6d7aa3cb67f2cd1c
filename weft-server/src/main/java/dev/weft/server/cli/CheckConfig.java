package dev.weft.server.cli;

import dev.weft.server.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code weft checkconfig -c FILE}: reads the configuration as {@code serve} would; exit 0 when it is valid. */
@Command(name = "checkconfig", mixinStandardHelpOptions = true,
        description = "Check a configuration (file, WEFT_* variables, --set) without starting; exit 2 when invalid.")
public final class CheckConfig implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigSource source;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded = source.load(Map.of(), err);
        if (loaded == null) {
            return 2;
        }
        loaded.warnings().forEach(w -> err.println("weft: warning: " + w));
        spec.commandLine().getOut().println("weft: configuration is valid"
                + (loaded.warnings().isEmpty() ? "" : " (" + loaded.warnings().size() + " warning(s))"));
        return 0;
    }
}
