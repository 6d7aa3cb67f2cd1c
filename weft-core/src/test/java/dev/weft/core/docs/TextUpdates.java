package dev.weft.core.docs;

import dev.weft.yjs.lib0.Lib0Writer;

/**
 * Real Yjs v1 updates made on the spot, as many as a test needs: client {@code client} inserts {@code text} at
 * clock {@code clock} into the root text {@code "t"}, with no origin (what {@code Y.Text.insert(0, text)}
 * encodes on an empty document). Updates of one client at clocks 0, n, 2n, … for texts of length n follow
 * one another without gaps, so any prefix of them merges into a document.
 */
public final class TextUpdates {
    private static final int CONTENT_STRING = 4;

    private TextUpdates() {
    }

    public static byte[] insert(long client, long clock, String text) {
        return new Lib0Writer()
                .writeVarUint(1) // clients with structs
                .writeVarUint(1) // structs of this client
                .writeVarUint(client)
                .writeVarUint(clock)
                .writeUint8(CONTENT_STRING) // no origin, no right origin, no parent sub
                .writeVarUint(1) // the parent is a root type, named by its key
                .writeVarString("t")
                .writeVarString(text)
                .writeVarUint(0) // empty delete set
                .toByteArray();
    }

    /** The {@code i}-th of client {@code client}'s one-character inserts ("0".."9" cycling). */
    public static byte[] keystroke(long client, int i) {
        return insert(client, i, String.valueOf(i % 10));
    }
}
