package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class UiPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void textIsEscapedAsJsonRequiresAndOtherwiseWrittenAsItIs() throws Exception {
        String text = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 del \u007f é 😀 </script> \u2028";
        byte[] part = UiParts.textDelta("t", text);
        assertThat(s(part)).isEqualTo("{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"quote \\\" backslash \\\\ "
                + "newline \\n tab \\t nul \\u0000 bell \\u0007 del \u007f é 😀 </script> \u2028\"}");
        assertThat(JSON.readTree(part).get("delta").textValue()).isEqualTo(text);
    }

    @Test
    void halvesOfAnEmojiSplitOverTwoDeltasAreEscapedAndJoinAgain() throws Exception {
        String first = "a\uD83D";
        String second = "\uDE00b";
        String joined = JSON.readTree(UiParts.textDelta("t", first)).get("delta").textValue()
                + JSON.readTree(UiParts.textDelta("t", second)).get("delta").textValue();
        assertThat(joined).isEqualTo("a😀b");
        assertThat(s(UiParts.textDelta("t", first))).contains("\\ud83d");
    }

    @Test
    void toolInputIsWrittenAsTheUpstreamsJsonText() {
        assertThat(s(UiParts.toolInputAvailable("c1", "f", "{\"n\": 1.50, \"s\":\"\\u00e9\"}")))
                .isEqualTo("{\"type\":\"tool-input-available\",\"toolCallId\":\"c1\",\"toolName\":\"f\","
                        + "\"input\":{\"n\": 1.50, \"s\":\"\\u00e9\"}}");
    }
}
