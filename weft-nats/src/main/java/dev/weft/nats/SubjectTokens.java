package dev.weft.nats;

import java.nio.charset.StandardCharsets;

/**
 * Turns channel names, client ids and idempotency keys into one NATS subject token that is also a valid
 * JetStream KV key: letters, digits, {@code -} and {@code _} stay as they are, every other UTF-8 byte becomes
 * {@code =XX} (upper-case hex). The mapping is injective, so two channels never share a subject, and
 * readable for the common ASCII names. A {@code .} (token separator), {@code *}, {@code >} or whitespace in
 * a channel name thus never reaches a subject.
 */
final class SubjectTokens {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SubjectTokens() {
    }

    static String token(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                sb.append((char) c);
            } else {
                sb.append('=').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        if (sb.isEmpty()) {
            sb.append("=00"); // a subject token may not be empty; no real name encodes to a NUL byte alone
        }
        return sb.toString();
    }

    /**
     * A prefix usable as the first subject tokens and, with {@code .} turned into {@code _}, in stream and
     * bucket names: letters, digits, {@code -}, {@code _} and inner dots only.
     */
    static String checkPrefix(String prefix) {
        if (prefix == null || !prefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
            throw new IllegalArgumentException("engine.nats.prefix must be letters, digits, '-', '_' and inner "
                    + "dots, got '" + prefix + "'");
        }
        return prefix;
    }
}
