package dev.weft.server.ai.relay.format;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What each format does besides its happy path: errors, cut answers, passing parts through. */
class TranslatorEdgeCasesTest {

    private static List<String> run(UpstreamFormat format, String body) {
        return Transcripts.translate(format, body.getBytes(StandardCharsets.UTF_8), new int[0]);
    }

    @Test
    void genericSsePassesUiPartsThroughByteForByteAndTurnsOtherDataIntoText() {
        String part = "{\"type\":\"data-weather\",  \"data\":{\"t\": 21.50}}";
        assertThat(run(UpstreamFormat.SSE, "data: {\"type\":\"start\"}\n\ndata: " + part
                + "\n\ndata: plain words\n\ndata: {\"type\":\"unknown\"}\n\ndata: {\"type\":\"finish\","
                + "\"finishReason\":\"stop\"}\n\n"))
                .containsExactly(part, "{\"type\":\"text-start\",\"id\":\"text-0\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"plain words\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"{\\\"type\\\":\\\"unknown\\\"}\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-0\"}", "finished:stop");
    }

    @Test
    void genericSseEndsAtDoneOrAtTheEndOfTheBody() {
        assertThat(run(UpstreamFormat.SSE, "data: a\n\ndata: [DONE]\n\ndata: b\n\n")).last().isEqualTo("finished:null");
        assertThat(run(UpstreamFormat.SSE, "data: a\n\n")).last().isEqualTo("finished:null");
    }

    @Test
    void genericErrorPartFailsWithItsText() {
        assertThat(run(UpstreamFormat.SSE, "data: x\n\ndata: {\"type\":\"error\",\"errorText\":\"quota\"}\n\n"))
                .last().isEqualTo("failed:upstream error: quota");
    }

    @Test
    void ndjsonStringLinesAreTheirValueAndOtherLinesAsTheyAre() {
        assertThat(run(UpstreamFormat.NDJSON, "\"caf\\u00e9 \"\n{\"type\":\"text-delta\",\"id\":\"x\",\"delta\":\"y\"}\n42"))
                .containsExactly("{\"type\":\"text-start\",\"id\":\"text-0\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"café \"}",
                        "{\"type\":\"text-delta\",\"id\":\"x\",\"delta\":\"y\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"42\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-0\"}", "finished:null");
    }

    @Test
    void openAiChatErrorEventFailsAfterTheTextSoFar() {
        List<String> out = run(UpstreamFormat.OPENAI_CHAT, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                + "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n");
        assertThat(out).contains("{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"Hi\"}");
        assertThat(out).last().isEqualTo("failed:upstream error: server_error: The server had an error");
    }

    @Test
    void openAiChatCutBeforeItsFinishFails() {
        assertThat(run(UpstreamFormat.OPENAI_CHAT, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"))
                .last().asString().startsWith("failed:upstream closed the stream");
    }

    @Test
    void openAiChatReasoningContentIsReasoningThenTextFollows() {
        assertThat(run(UpstreamFormat.OPENAI_CHAT,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\"}}]}\n\n"
                        + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"say\"},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: [DONE]\n\n"))
                .containsExactly("{\"type\":\"start-step\"}", "{\"type\":\"reasoning-start\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"think\"}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-1\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"say\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-1\"}", "{\"type\":\"finish-step\"}", "finished:stop");
    }

    @Test
    void aRefusalIsTextTheUserReads() {
        assertThat(run(UpstreamFormat.OPENAI_CHAT, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null,"
                + "\"refusal\":\"I can't help\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"))
                .contains("{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"I can't help\"}");
        assertThat(run(UpstreamFormat.OPENAI_RESPONSES, "data: {\"type\":\"response.refusal.delta\",\"item_id\":\"m\","
                + "\"delta\":\"No\"}\n\ndata: {\"type\":\"response.refusal.done\",\"item_id\":\"m\"}\n\n"
                + "data: {\"type\":\"response.completed\",\"response\":{}}\n\n"))
                .containsSubsequence("{\"type\":\"text-delta\",\"id\":\"m\",\"delta\":\"No\"}",
                        "{\"type\":\"text-end\",\"id\":\"m\"}", "finished:completed");
    }

    @Test
    void toolArgumentsThatAreNotJsonBecomeAToolInputError() {
        List<String> out = run(UpstreamFormat.OPENAI_CHAT,
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":"
                        + "{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
                        + "data: [DONE]\n\n");
        assertThat(out).contains("{\"type\":\"tool-input-error\",\"toolCallId\":\"c\",\"toolName\":\"f\","
                + "\"input\":\"{\\\"a\\\":\",\"errorText\":\"tool call arguments are not valid JSON\"}");
    }

    @Test
    void openAiChatDataThatIsNotJsonFails() {
        assertThat(run(UpstreamFormat.OPENAI_CHAT, "data: {\"choices\":[\n\n")).last().asString()
                .startsWith("failed:upstream sent an event that is not a JSON object");
    }

    @Test
    void responsesFailedAndErrorFailWithTheUpstreamsMessage() {
        assertThat(run(UpstreamFormat.OPENAI_RESPONSES, "event: response.failed\ndata: {\"type\":\"response.failed\","
                + "\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}\n\n"))
                .last().isEqualTo("failed:upstream response failed: server_error: boom");
        assertThat(run(UpstreamFormat.OPENAI_RESPONSES, "event: error\ndata: {\"type\":\"error\",\"code\":"
                + "\"ERR_SOMETHING\",\"message\":\"Something happened\",\"param\":null}\n\n"))
                .last().isEqualTo("failed:upstream error: ERR_SOMETHING: Something happened");
    }

    @Test
    void responsesIncompleteFinishesWithItsReasonKeepingTheText() {
        List<String> out = run(UpstreamFormat.OPENAI_RESPONSES,
                "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"m\",\"output_index\":0,"
                        + "\"content_index\":0,\"delta\":\"partial\"}\n\n"
                        + "data: {\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\","
                        + "\"incomplete_details\":{\"reason\":\"max_output_tokens\"}}}\n\n");
        assertThat(out).contains("{\"type\":\"text-delta\",\"id\":\"m\",\"delta\":\"partial\"}",
                "{\"type\":\"text-end\",\"id\":\"m\"}").last().isEqualTo("finished:max_output_tokens");
    }

    @Test
    void anthropicErrorEventFailsWithItsTypeAndMessage() {
        assertThat(run(UpstreamFormat.ANTHROPIC, "event: message_start\ndata: {\"type\":\"message_start\","
                + "\"message\":{}}\n\nevent: error\ndata: {\"type\": \"error\", \"error\": {\"type\": "
                + "\"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"))
                .containsExactly("{\"type\":\"start-step\"}", "failed:upstream error: overloaded_error: Overloaded");
    }

    @Test
    void anthropicCutBeforeMessageStopFails() {
        assertThat(run(UpstreamFormat.ANTHROPIC, "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"))
                .last().isEqualTo("failed:upstream closed the stream before message_stop");
    }
}
