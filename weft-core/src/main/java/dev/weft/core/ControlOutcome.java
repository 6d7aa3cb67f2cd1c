package dev.weft.core;

/**
 * What a control operation on a user's connections reached: how many connections it was handed to (each
 * applies it in its own command order, so the operation does not wait for them). A node reports its own; a
 * cluster adds up the outcomes of its nodes ({@link #plus}).
 *
 * @param connections connections the operation was handed to
 */
public record ControlOutcome(int connections) {
    public static final ControlOutcome NONE = new ControlOutcome(0);

    public ControlOutcome {
        if (connections < 0) {
            throw new IllegalArgumentException("connections < 0");
        }
    }

    /** The outcome of this node and {@code other} together. */
    public ControlOutcome plus(ControlOutcome other) {
        return new ControlOutcome(connections + other.connections);
    }
}
