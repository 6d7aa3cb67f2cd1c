package dev.weft.core.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the network buses put the sender's node id in front of a message: a 2-byte length, the id in UTF-8,
 * then the message bytes unchanged. So one broker channel or subject carries sender and payload without the
 * bus parsing the payload.
 *
 * @param sender  the sending node's id
 * @param message the message bytes
 */
public record ControlEnvelope(String sender, byte[] message) {

    public byte[] encode() {
        byte[] id = sender.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xFFFF) {
            throw new IllegalArgumentException("node id too long");
        }
        return ByteBuffer.allocate(2 + id.length + message.length)
                .putShort((short) id.length).put(id).put(message).array();
    }

    /** @throws IllegalArgumentException when the bytes are not an envelope */
    public static ControlEnvelope decode(byte[] bytes) {
        if (bytes.length < 2) {
            throw new IllegalArgumentException("control envelope too short");
        }
        int idLength = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
        if (bytes.length < 2 + idLength) {
            throw new IllegalArgumentException("control envelope truncated");
        }
        String sender = new String(bytes, 2, idLength, StandardCharsets.UTF_8);
        return new ControlEnvelope(sender, Arrays.copyOfRange(bytes, 2 + idLength, bytes.length));
    }
}
