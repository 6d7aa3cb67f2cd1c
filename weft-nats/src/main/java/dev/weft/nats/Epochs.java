package dev.weft.nats;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Stream epochs: 8 base32 characters, either derived (so that every node computes the same one without
 * writing anything) or random.
 */
final class Epochs {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    /** The same epoch for the same parts, on every node. */
    static String derived(String... parts) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (String part : parts) {
            sha256.update(part.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
        }
        byte[] digest = sha256.digest();
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET[(digest[i] & 0xff) % ALPHABET.length];
        }
        return new String(chars);
    }

    /** A random epoch different from each of {@code avoid}. */
    static String random(String... avoid) {
        while (true) {
            char[] chars = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
            }
            String epoch = new String(chars);
            if (!java.util.Arrays.asList(avoid).contains(epoch)) {
                return epoch;
            }
        }
    }
}
