package dev.weft.core.client;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile frames for the fuzz test, built from a seeded {@link Random}: JSON-ish text that uses the
 * protocol's keys with values of every wrong shape, and Protobuf messages with any field numbers and wire
 * types. Deterministic for a seed.
 */
final class JunkFrames {
    private static final String[] KEYS = {"id", "connect", "subscribe", "unsubscribe", "publish", "presence",
            "presence_stats", "history", "ping", "send", "rpc", "refresh", "sub_refresh", "channel", "data",
            "b64data", "token", "recover", "offset", "epoch", "since", "limit", "reverse", "subs", "headers",
            "method", "name", "version", "positioned", "recoverable", "join_leave"};
    private static final String[] SCALARS = {"0", "-1", "1", "4294967295", "4294967296", "18446744073709551615",
            "18446744073709551616", "-9223372036854775809", "1e400", "1.5", "-0", "00", "NaN", "true", "false",
            "null", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\\"\"", "\"AAAA\"", "\"e30=\"", "[]", "{}", "\"\\x\""};

    private JunkFrames() {
    }

    static String json(Random random) {
        if (random.nextInt(10) == 0) {
            // Deeper than the decoder's nesting limit (64), inside a command that is otherwise fine.
            int depth = 50 + random.nextInt(80);
            return "{\"id\":1,\"publish\":{\"channel\":\"x\",\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}}";
        }
        StringBuilder out = new StringBuilder();
        jsonValue(random, out, 0, true);
        return out.toString();
    }

    private static void jsonValue(Random random, StringBuilder out, int depth, boolean object) {
        int kind = object ? 0 : random.nextInt(depth > 5 ? 1 : 4);
        switch (kind) {
            case 0 -> {
                // Past depth 5 only scalars: an object there could nest without bound and overflow the stack.
                if (object || (depth <= 5 && random.nextBoolean())) {
                    out.append('{');
                    int fields = random.nextInt(5);
                    for (int i = 0; i < fields; i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        quote(random.nextInt(4) == 0 ? randomText(random) : KEYS[random.nextInt(KEYS.length)], out);
                        out.append(':');
                        jsonValue(random, out, depth + 1, false);
                    }
                    out.append('}');
                } else {
                    scalar(random, out);
                }
            }
            case 1 -> {
                out.append('[');
                int items = random.nextInt(4);
                for (int i = 0; i < items; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    jsonValue(random, out, depth + 1, false);
                }
                out.append(']');
            }
            default -> scalar(random, out);
        }
    }

    private static void scalar(Random random, StringBuilder out) {
        switch (random.nextInt(3)) {
            case 0 -> out.append(SCALARS[random.nextInt(SCALARS.length)]);
            case 1 -> out.append(random.nextInt());
            default -> quote(randomText(random), out);
        }
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
        }
        return text.toString();
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    static byte[] protobuf(Random random) {
        return protobufMessage(random, 0);
    }

    private static byte[] protobufMessage(Random random, int depth) {
        List<byte[]> fields = new ArrayList<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            byte[] bytes;
            if (depth < 4 && random.nextBoolean()) {
                bytes = protobufMessage(random, depth + 1);
            } else {
                bytes = new byte[random.nextInt(20)];
                random.nextBytes(bytes);
            }
            fields.add(ProtobufBytes.field(random.nextInt(21), random.nextInt(8), random.nextLong(), bytes));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
