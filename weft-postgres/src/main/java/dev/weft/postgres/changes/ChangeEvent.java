package dev.weft.postgres.changes;

import java.util.Locale;

/** The kinds of row change a rule can publish; {@link #wireName()} is the payload's {@code op}. */
public enum ChangeEvent {
    INSERT, UPDATE, DELETE, TRUNCATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code insert}, {@code update}, {@code delete} or {@code truncate} (any case). */
    public static ChangeEvent parse(String name) {
        for (ChangeEvent e : values()) {
            if (e.wireName().equalsIgnoreCase(name.strip())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown event \"" + name + "\" (expected insert, update, delete or "
                + "truncate)");
    }
}
