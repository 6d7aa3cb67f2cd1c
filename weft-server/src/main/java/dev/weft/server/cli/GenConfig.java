package dev.weft.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code weft genconfig [-c FILE]}: writes a minimal configuration with fresh random secrets (the token HMAC
 * key and the server API key), as Centrifugo's {@code genconfig}; JSON, or YAML / TOML by the file's extension.
 * Never overwrites a file.
 */
@Command(name = "genconfig", mixinStandardHelpOptions = true,
        description = "Write a new configuration file with random secrets (JSON; YAML or TOML by extension).")
public final class GenConfig implements Callable<Integer> {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Spec
    CommandSpec spec;

    @Option(names = {"--config", "-c"}, paramLabel = "FILE", description = "Where to write; default ${DEFAULT-VALUE}.")
    Path file = Path.of("config.json");

    @Override
    public Integer call() throws IOException {
        if (Files.exists(file)) {
            spec.commandLine().getErr().println("weft: " + file + " exists; not overwriting it");
            return 2;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("client", Map.of("token", Map.of("hmac_secret_key", secret()), "allowed_origins", List.of()));
        config.put("http_api", Map.of("key", secret()));
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper()
                : name.endsWith(".toml") ? new TomlMapper() : new ObjectMapper();
        Files.write(file, mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(config));
        spec.commandLine().getOut().println("weft: wrote " + file);
        return 0;
    }

    /** 256 random bits, hex: enough for HS256 and for an API key. */
    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
