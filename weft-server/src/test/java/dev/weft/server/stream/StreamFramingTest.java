package dev.weft.server.stream;

import io.netty.buffer.ByteBuf;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamFramingTest {

    private static String body(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Example
    void laysOutFramesAsTheSdkReadsThem() {
        byte[] reply = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(body(StreamFraming.NEWLINE_DELIMITED.frame(reply))).isEqualTo("{\"id\":1}\n");
        assertThat(body(StreamFraming.SELF_DELIMITED.frame(reply))).isEqualTo("{\"id\":1}");
        assertThat(body(StreamFraming.SSE.frame(reply))).isEqualTo("data: {\"id\":1}\n\n");
    }

    /** What EventSource does with one event block: join the data lines with \n. */
    private static List<String> parseEvents(String stream) {
        List<String> events = new ArrayList<>();
        StringBuilder data = null;
        for (String line : stream.split("\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(data.toString());
                    data = null;
                }
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            } else {
                throw new AssertionError("not a data line: " + line);
            }
        }
        return events;
    }

    @Property
    void anySseFrameIsOneEventWithTheSameTextUpToLineEndings(@ForAll String text) {
        String event = body(StreamFraming.SSE.frame(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(parseEvents(event)).containsExactly(text.replace("\r\n", "\n").replace('\r', '\n'));
    }
}
