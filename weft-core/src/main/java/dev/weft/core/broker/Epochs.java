package dev.weft.core.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Stream epochs as every single-node broker makes them: eight characters of base32. A channel that never had a
 * stream reads with an epoch derived from its name and the broker's secret seed, so it stays the same from read
 * to read without being stored; a dropped stream's successor gets a random one, remembered by the broker.
 * Thread-safe.
 */
public final class Epochs {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int LENGTH = 8;
    private static final int SEED_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    /** A new secret seed. */
    public static byte[] newSeed() {
        byte[] bytes = new byte[SEED_BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The epoch of {@code channel}'s first stream under {@code seed}. */
    public static String derived(byte[] seed, String channel) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha256.update(seed);
        byte[] digest = sha256.digest(channel.getBytes(StandardCharsets.UTF_8));
        char[] chars = new char[LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[(digest[i] & 0xff) % ALPHABET.length];
        }
        return new String(chars);
    }

    /** A random epoch other than {@code not} (which may be null). */
    public static String randomOtherThan(String not) {
        while (true) {
            char[] chars = new char[LENGTH];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
            }
            String epoch = new String(chars);
            if (!epoch.equals(not)) {
                return epoch;
            }
        }
    }
}
