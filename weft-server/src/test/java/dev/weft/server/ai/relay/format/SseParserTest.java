package dev.weft.server.ai.relay.format;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseParserTest {

    private static List<String> parse(EventParser parser, String... chunks) throws MalformedUpstreamException {
        List<String> events = new ArrayList<>();
        EventSink sink = e -> events.add((e.type() == null ? "" : e.type() + "|")
                + new String(e.data(), StandardCharsets.UTF_8));
        for (String chunk : chunks) {
            byte[] b = chunk.getBytes(StandardCharsets.UTF_8);
            parser.feed(b, 0, b.length, sink);
        }
        parser.end(sink);
        return events;
    }

    @Test
    void crLfAndCrEndLinesAlikeEvenWhenACrLfIsSplitBetweenReads() throws Exception {
        assertThat(parse(new SseParser(1024), "data: a\r", "\n\r", "\ndata: b\r\rdata: c\n\n"))
                .containsExactly("a", "b", "c");
    }

    @Test
    void dataLinesJoinWithLineFeedsAndEventNamesTheEvent() throws Exception {
        assertThat(parse(new SseParser(1024), "event: delta\ndata: one\ndata:two\ndata\n\n"))
                .containsExactly("delta|one\ntwo\n");
    }

    @Test
    void commentsIdsRetriesAndEventsWithoutDataDispatchNothing() throws Exception {
        assertThat(parse(new SseParser(1024), ": keep-alive\n\nid: 7\nretry: 10\n\nevent: ping\n\n:x\ndata: y\n\n"))
                .containsExactly("y");
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() throws Exception {
        assertThat(parse(new SseParser(1024), "data:  two spaces\n\n")).containsExactly(" two spaces");
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkippedEvenWhenSplit() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        SseParser parser = new SseParser(1024);
        List<String> events = new ArrayList<>();
        EventSink sink = e -> events.add(new String(e.data(), StandardCharsets.UTF_8));
        parser.feed(bom, 0, 1, sink);
        parser.feed(bom, 1, 2, sink);
        byte[] rest = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
        parser.feed(rest, 0, rest.length, sink);
        assertThat(events).containsExactly("x");
    }

    @Test
    void anEventNotEndedByABlankLineIsDiscardedAtTheEnd() throws Exception {
        assertThat(parse(new SseParser(1024), "data: a\n\ndata: cut")).containsExactly("a");
    }

    @Test
    void aLineLongerThanTheBoundFailsInsteadOfBuffering() {
        SseParser parser = new SseParser(1024);
        byte[] line = ("data: " + "x".repeat(2000)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.feed(line, 0, line.length, e -> { }))
                .isInstanceOf(MalformedUpstreamException.class).hasMessageContaining("longer than 1024 bytes");
    }

    @Test
    void anEventOfManyShortLinesIsBoundedToo() {
        SseParser parser = new SseParser(1024);
        byte[] lines = "data: 0123456789\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.feed(lines, 0, lines.length, e -> { }))
                .isInstanceOf(MalformedUpstreamException.class).hasMessageContaining("event larger than 1024");
    }

    @Test
    void ndjsonTakesEachNonBlankLineAndALastLineWithoutItsEnd() throws Exception {
        assertThat(parse(new NdjsonParser(1024), "{\"a\":1}\r\n\n  \n\"tw", "o\"\n{\"b\":2}"))
                .containsExactly("{\"a\":1}", "\"two\"", "{\"b\":2}");
    }
}
