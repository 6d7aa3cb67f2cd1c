package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.yjs.YUpdates;
import dev.weft.yjs.YjsFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a yjs cross-check script ({@code node/yjs/crosscheck-*.mjs}) and answers its calls with weft-yjs:
 * each stdout line {@code {"call": n, "op": ..., base64 arguments}} gets one stdin line
 * {@code {"call": n, "result": base64}} (or {@code "error"}); other stdout lines are the script's events.
 * One instance per run; not thread-safe.
 */
final class YjsPeer {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a finished script printed; {@code calls} is the number of operations Java answered. */
  record Result(int exitCode, List<JsonNode> events, String stderr, int calls) {
    JsonNode done() {
      return events.stream().filter(e -> "done".equals(e.path("event").asText())).findFirst()
          .orElseThrow(() -> new AssertionError("no 'done' line\n" + transcript()));
    }

    String transcript() {
      return "--- exit code " + exitCode + ", " + calls + " Java calls\n--- events\n" + events
          + "\n--- stderr\n" + stderr;
    }
  }

  private YjsPeer() {}

  static Result run(String script, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
    NodeScript.ensureInstalled();
    ProcessBuilder pb = new ProcessBuilder("node", script).directory(NodeScript.nodeDir().toFile());
    pb.environment().putAll(env);
    Process process = pb.start();
    List<JsonNode> events = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    StringBuilder stderr = new StringBuilder();
    Thread errors = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = process.errorReader(StandardCharsets.UTF_8)) {
        r.lines().forEach(l -> {
          synchronized (stderr) {
            stderr.append(l).append('\n');
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    Thread answers = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           OutputStream toNode = process.getOutputStream()) {
        for (String line; (line = r.readLine()) != null; ) {
          JsonNode message = JSON.readTree(line);
          if (message.has("call")) {
            calls.incrementAndGet();
            toNode.write((JSON.writeValueAsString(answer(message)) + "\n").getBytes(StandardCharsets.UTF_8));
            toNode.flush();
          } else {
            synchronized (events) {
              events.add(message);
            }
          }
        }
      } catch (IOException e) {
        // the script exited while we were answering: its exit code tells why
      }
    });
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    answers.join(Duration.ofSeconds(10));
    errors.join(Duration.ofSeconds(10));
    Result result;
    synchronized (events) {
      synchronized (stderr) {
        result = new Result(exited ? process.exitValue() : -1, List.copyOf(events), stderr.toString(), calls.get());
      }
    }
    if (!exited) {
      throw new AssertionError("`node " + script + "` did not finish within " + timeout + "\n" + result.transcript());
    }
    return result;
  }

  private static ObjectNode answer(JsonNode call) {
    ObjectNode reply = JSON.createObjectNode().put("call", call.get("call").asLong());
    try {
      reply.put("result", Base64.getEncoder().encodeToString(compute(call)));
    } catch (YjsFormatException | RuntimeException e) {
      reply.put("error", e.toString());
    }
    return reply;
  }

  private static byte[] compute(JsonNode call) throws YjsFormatException {
    String op = call.get("op").asText();
    return switch (op) {
      case "merge" -> YUpdates.merge(list(call.get("updates")));
      case "mergeV2" -> YUpdates.mergeV2(list(call.get("updates")));
      case "diff" -> YUpdates.diff(bytes(call.get("update")), bytes(call.get("sv")));
      case "diffV2" -> YUpdates.diffV2(bytes(call.get("update")), bytes(call.get("sv")));
      case "sv" -> YUpdates.stateVector(bytes(call.get("update")));
      case "svV2" -> YUpdates.stateVectorV2(bytes(call.get("update")));
      case "v1ToV2" -> YUpdates.v1ToV2(bytes(call.get("update")));
      case "v2ToV1" -> YUpdates.v2ToV1(bytes(call.get("update")));
      default -> throw new IllegalArgumentException("unknown op " + op);
    };
  }

  private static byte[] bytes(JsonNode base64) {
    return Base64.getDecoder().decode(base64.asText());
  }

  private static List<byte[]> list(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    array.forEach(n -> out.add(bytes(n)));
    return out;
  }
}
