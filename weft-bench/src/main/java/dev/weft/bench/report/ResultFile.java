package dev.weft.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.bench.scenario.Measurement;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON result file: how the run was made, every measured point of every repeat, the medians, and the
 * charts drawn from them.
 */
public record ResultFile(String command, String startedAt, Machine machineAtStart, String loadAverageAtEnd,
                         List<String> targets, List<String> scenarios, int repeats, boolean quick,
                         List<Measurement> runs, List<Measurement> medians, List<String> charts) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static ResultFile read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ResultFile.class);
    }
}
