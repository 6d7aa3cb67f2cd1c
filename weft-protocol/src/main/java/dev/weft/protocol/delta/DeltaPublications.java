package dev.weft.protocol.delta;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.weft.protocol.model.Publication;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Publications as a subscriber with Fossil delta compression gets them (Centrifuge's {@code getDeltaPub}):
 * the data as a delta against the data it already has when that is smaller, else whole. In the JSON protocol
 * the data, delta or whole, travels as a JSON string (the SDK reads {@code pub.data} as text in delta mode); a
 * delta that is not valid UTF-8 text (Fossil cuts at any byte) is replaced by the whole data, which the SDK
 * reads the same way. Stateless, thread-safe.
 */
public final class DeltaPublications {
    private DeltaPublications() {
    }

    /**
     * @param base the data the subscriber got last on this subscription, or null when it has none (the first
     *             publication, or after a recovery that could not be completed): then the data goes whole
     * @param json whether the subscriber speaks the JSON protocol
     */
    public static Publication relativeTo(byte[] base, Publication publication, boolean json) {
        byte[] data = publication.data() == null ? new byte[0] : publication.data();
        if (base != null) {
            byte[] patch = FossilDelta.create(base, data);
            if (patch.length < data.length && (!json || isUtf8(patch))) {
                return publication.withData(json ? jsonString(patch) : patch, true);
            }
        }
        return publication.withData(json ? jsonString(data) : data, false);
    }

    private static byte[] jsonString(byte[] utf8) {
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(new String(utf8, StandardCharsets.UTF_8));
        byte[] out = new byte[quoted.length + 2];
        out[0] = '"';
        System.arraycopy(quoted, 0, out, 1, quoted.length);
        out[out.length - 1] = '"';
        return out;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
