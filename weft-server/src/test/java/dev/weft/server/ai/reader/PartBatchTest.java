package dev.weft.server.ai.reader;

import dev.weft.protocol.model.Publication;
import dev.weft.server.ai.AiStreams;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PartBatchTest {

    private static AiPartFormat.Part part(long offset, String json) {
        return AiPartFormat.part(new Publication(json.getBytes(StandardCharsets.UTF_8), null, offset,
                Map.of(AiStreams.TAG_STREAM, "s@c"), 0), "E");
    }

    private static String drain(PartBatch batch) {
        return new String(batch.drain(), StandardCharsets.UTF_8);
    }

    @Test
    void consecutiveDeltasOfOneIdBecomeOneEventCarryingTheLastPosition() {
        PartBatch batch = new PartBatch();
        batch.add(part(1, "{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"He\"}"));
        batch.add(part(2, "{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"l\\\"lo\"}"));
        batch.add(part(3, "{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"!\"}"));
        assertThat(drain(batch))
                .isEqualTo("id: 3:E\ndata: {\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"Hel\\\"lo!\"}\n\n");
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.bytes()).isZero();
    }

    @Test
    void otherIdsTypesAndPartsBetweenKeepTheirOrderAndBytes() {
        PartBatch batch = new PartBatch();
        batch.add(part(1, "{\"type\":\"text-delta\",\"id\":\"a\",\"delta\":\"x\"}"));
        batch.add(part(2, "{\"type\":\"text-delta\",\"id\":\"b\",\"delta\":\"y\"}"));
        batch.add(part(3, "{\"type\":\"reasoning-delta\",\"id\":\"b\",\"delta\":\"z\"}"));
        batch.add(part(4, "{\"type\":\"data-x\",\n\"data\":1}"));
        batch.add(part(5, "{\"type\":\"text-delta\",\"id\":\"b\",\"delta\":\"w\"}"));
        assertThat(drain(batch)).isEqualTo(
                "id: 1:E\ndata: {\"type\":\"text-delta\",\"id\":\"a\",\"delta\":\"x\"}\n\n"
                        + "id: 2:E\ndata: {\"type\":\"text-delta\",\"id\":\"b\",\"delta\":\"y\"}\n\n"
                        + "id: 3:E\ndata: {\"type\":\"reasoning-delta\",\"id\":\"b\",\"delta\":\"z\"}\n\n"
                        + "id: 4:E\ndata: {\"type\":\"data-x\", \"data\":1}\n\n"
                        + "id: 5:E\ndata: {\"type\":\"text-delta\",\"id\":\"b\",\"delta\":\"w\"}\n\n");
    }
}
