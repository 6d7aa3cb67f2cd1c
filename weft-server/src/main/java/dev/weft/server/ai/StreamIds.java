package dev.weft.server.ai;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Stream ids say where the stream lives: {@code <name>@<channel>}, so any node finds a stream's channel from
 * its id alone, without a lookup (the rest of its state is in the channel's history). The name is random
 * unless the creator chose one: 1 to 64 of {@code A-Z a-z 0-9 _ -}. Thread-safe.
 */
public final class StreamIds {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private StreamIds() {
    }

    /** A parsed id. */
    public record Id(String name, String channel) {
        @Override
        public String toString() {
            return name + "@" + channel;
        }
    }

    /** A new id in {@code channel} with a random 20-character name. */
    public static Id random(String channel) {
        char[] name = new char[20];
        for (int i = 0; i < name.length; i++) {
            name[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new Id(new String(name), channel);
    }

    /** @throws AiStreamException (bad request) when {@code id} is not {@code <name>@<channel>} */
    public static Id parse(String id) {
        int at = id == null ? -1 : id.indexOf('@');
        if (at < 0 || !NAME.matcher(id.substring(0, at)).matches() || at == id.length() - 1) {
            throw new AiStreamException(AiStreamException.Kind.BAD_REQUEST,
                    "a stream id is <name>@<channel>, the name 1 to 64 of A-Z a-z 0-9 _ -");
        }
        return new Id(id.substring(0, at), id.substring(at + 1));
    }
}
