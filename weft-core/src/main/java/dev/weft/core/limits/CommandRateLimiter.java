package dev.weft.core.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;

/**
 * One connection's command rate ({@code client.command_rate_limit}): a token bucket holding
 * {@code burst} commands, refilled at {@code rate} per second; every command takes one token, checked
 * before the command does any work. A command that finds the bucket empty is refused (the client gets
 * error 111, temporary, and may retry later). The refusals are metered too: a client that goes on sending
 * after more than {@code refusalLimit} refusals within about a second is not backing off, and is
 * disconnected (3013).
 *
 * <p>Not for concurrent use: a session checks its commands one at a time, in order; the buckets are still
 * safe to publish across the virtual threads that run them.
 */
public final class CommandRateLimiter {

    /** What to do with the command just checked. */
    public enum Verdict {
        /** Carry it out. */
        ALLOW,
        /** Refuse it with error 111 (too many requests). */
        REFUSE,
        /** Refuse it and disconnect the client with 3013 (too many requests): it ignores refusals. */
        DISCONNECT
    }

    private final Bucket commands;
    private final Bucket refusals;

    /**
     * @param rate         commands per second, sustained; must be positive
     * @param burst        commands that may arrive at once (the bucket's size; at least {@code rate} is used)
     * @param refusalLimit refusals within a second tolerated before disconnecting; 0 = never disconnect
     * @param time         the clock the buckets refill by
     */
    public CommandRateLimiter(long rate, long burst, long refusalLimit, TimeMeter time) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        long capacity = Math.max(rate, burst);
        this.commands = Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(rate, Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build();
        this.refusals = refusalLimit <= 0 ? null : Bucket.builder()
                .addLimit(limit -> limit.capacity(refusalLimit).refillGreedy(refusalLimit, Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build();
    }

    /**
     * The limiter for one connection, or null when {@code rate} is 0 (no limit), on the system's
     * monotonic clock.
     */
    public static CommandRateLimiter create(int rate, int burst, int refusalLimit) {
        return rate <= 0 ? null : new CommandRateLimiter(rate, burst, refusalLimit, TimeMeter.SYSTEM_NANOTIME);
    }

    /** Takes a token for one command. */
    public Verdict acquire() {
        if (commands.tryConsume(1)) {
            return Verdict.ALLOW;
        }
        if (refusals == null || refusals.tryConsume(1)) {
            return Verdict.REFUSE;
        }
        return Verdict.DISCONNECT;
    }
}
