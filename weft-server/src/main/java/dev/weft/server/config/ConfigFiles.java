package dev.weft.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads a config file into a tree: {@code .json}, {@code .yaml}/{@code .yml} or {@code .toml}, like
 * Centrifugo. Duplicate keys are an error. Any thread (the mappers are thread-safe once built).
 */
final class ConfigFiles {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final ObjectMapper TOML = TomlMapper.builder().build();

    private ConfigFiles() {
    }

    /** The file as an object tree, or null after reporting why it cannot be read. */
    static ObjectNode read(Path file, List<String> problems) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper;
        if (name.endsWith(".json")) {
            mapper = JSON;
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            mapper = YAML;
        } else if (name.endsWith(".toml")) {
            mapper = TOML;
        } else {
            problems.add("config file " + file + ": unsupported extension; use .json, .yaml, .yml or .toml");
            return null;
        }
        if (!Files.isRegularFile(file)) {
            problems.add("config file " + file + " not found");
            return null;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add("config file " + file + " is not valid " + name.substring(name.lastIndexOf('.') + 1)
                    .toUpperCase(Locale.ROOT) + ": " + e.getOriginalMessage()
                    + (at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")"));
            return null;
        } catch (IOException e) {
            problems.add("config file " + file + " cannot be read: " + e.getMessage());
            return null;
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            problems.add("config file " + file + ": the top level must be an object of options");
            return null;
        }
        return (ObjectNode) tree;
    }
}
