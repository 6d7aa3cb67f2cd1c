package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts a translator has started and not yet ended — text and reasoning blocks by id, tool calls by call id
 * with their arguments so far — so every block is started before its first delta and ended exactly once. Not
 * thread-safe: one per translator.
 */
final class OpenParts {
    /** Bound on one tool call's arguments, so an upstream cannot make us buffer without limit. */
    static final int MAX_TOOL_INPUT_CHARS = 1024 * 1024;

    private final Set<String> texts = new LinkedHashSet<>();
    private final Set<String> reasonings = new LinkedHashSet<>();
    private final Map<String, ToolCall> tools = new LinkedHashMap<>();
    /** Whether this format has steps: {@code start-step} before the first part, {@code finish-step} at the end. */
    private final boolean steps;
    private boolean stepStarted;

    OpenParts(boolean steps) {
        this.steps = steps;
    }

    private static final class ToolCall {
        final String name;
        final StringBuilder input = new StringBuilder();

        ToolCall(String name) {
            this.name = name;
        }
    }

    void startStep(List<byte[]> out) {
        if (steps && !stepStarted) {
            stepStarted = true;
            out.add(UiParts.START_STEP);
        }
    }

    void text(String id, String delta, List<byte[]> out) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        startStep(out);
        if (texts.add(id)) {
            out.add(UiParts.textStart(id));
        }
        out.add(UiParts.textDelta(id, delta));
    }

    void endText(String id, List<byte[]> out) {
        if (texts.remove(id)) {
            out.add(UiParts.textEnd(id));
        }
    }

    void reasoning(String id, String delta, List<byte[]> out) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        startStep(out);
        if (reasonings.add(id)) {
            out.add(UiParts.reasoningStart(id));
        }
        out.add(UiParts.reasoningDelta(id, delta));
    }

    void endReasoning(String id, List<byte[]> out) {
        if (reasonings.remove(id)) {
            out.add(UiParts.reasoningEnd(id));
        }
    }

    /** Ends every open text and reasoning block (a tool call or a new kind of block follows). */
    void endBlocks(List<byte[]> out) {
        for (String id : List.copyOf(texts)) {
            endText(id, out);
        }
        for (String id : List.copyOf(reasonings)) {
            endReasoning(id, out);
        }
    }

    boolean toolOpen(String callId) {
        return tools.containsKey(callId);
    }

    void toolStart(String callId, String name, List<byte[]> out) throws MalformedUpstreamException {
        if (callId == null || name == null) {
            throw new MalformedUpstreamException("upstream started a tool call without id or name");
        }
        startStep(out);
        if (tools.putIfAbsent(callId, new ToolCall(name)) == null) {
            out.add(UiParts.toolInputStart(callId, name));
        }
    }

    void toolDelta(String callId, String delta, List<byte[]> out) throws MalformedUpstreamException {
        ToolCall call = tools.get(callId);
        if (call == null) {
            throw new MalformedUpstreamException("upstream sent arguments of a tool call it did not start");
        }
        if (delta == null || delta.isEmpty()) {
            return;
        }
        if (call.input.length() + delta.length() > MAX_TOOL_INPUT_CHARS) {
            throw new MalformedUpstreamException("upstream tool call arguments longer than "
                    + MAX_TOOL_INPUT_CHARS + " characters");
        }
        call.input.append(delta);
        out.add(UiParts.toolInputDelta(callId, delta));
    }

    /**
     * Ends a tool call: {@code tool-input-available} with its arguments when they are JSON (none is {@code {}}),
     * {@code tool-input-error} otherwise.
     */
    void toolEnd(String callId, List<byte[]> out) {
        ToolCall call = tools.remove(callId);
        if (call == null) {
            return;
        }
        String input = call.input.toString().strip();
        if (input.isEmpty()) {
            input = "{}";
        }
        try {
            EventJson.parse(input);
            out.add(UiParts.toolInputAvailable(callId, call.name, input));
        } catch (JsonProcessingException e) {
            out.add(UiParts.toolInputError(callId, call.name, call.input.toString(),
                    "tool call arguments are not valid JSON"));
        }
    }

    /** Ends everything open: blocks, then tool calls in the order they started. */
    void endAll(List<byte[]> out) {
        endBlocks(out);
        for (String callId : List.copyOf(tools.keySet())) {
            toolEnd(callId, out);
        }
    }

    /** Ends everything open and the step, if one started. */
    void finishStep(List<byte[]> out) {
        endAll(out);
        if (stepStarted) {
            stepStarted = false;
            out.add(UiParts.FINISH_STEP);
        }
    }
}
