package dev.weft.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A PEM value as Centrifugo v6 accepts it in its TLS objects: PEM text itself, base64-encoded PEM text, or
 * the path of a file holding PEM text — checked in that order.
 *
 * <p>Stateless, thread-safe.
 */
public final class PemData {
    private static final String BEGIN = "-----BEGIN ";

    private PemData() {
    }

    /**
     * The PEM text {@code value} stands for.
     *
     * @throws IllegalArgumentException saying why not, without repeating the value (it may be a key)
     */
    public static String load(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        if (isPem(value)) {
            return value;
        }
        try {
            String decoded = new String(Base64.getMimeDecoder().decode(value.trim()), StandardCharsets.UTF_8);
            if (isPem(decoded)) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // not base64: try it as a path
        }
        Path path;
        try {
            path = Path.of(value.trim());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("neither PEM text, base64-encoded PEM, nor a file path");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("neither PEM text, base64-encoded PEM, nor an existing file");
        }
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
        }
        if (!isPem(content)) {
            throw new IllegalArgumentException("file " + path + " holds no PEM block");
        }
        return content;
    }

    private static boolean isPem(String text) {
        int begin = text.indexOf(BEGIN);
        return begin >= 0 && text.indexOf("-----END ", begin) > begin;
    }
}
