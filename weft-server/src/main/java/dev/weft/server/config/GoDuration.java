package dev.weft.server.config;

import java.time.Duration;

/**
 * Go-style duration strings, as Centrifugo reads them ({@code time.ParseDuration}): a sequence of decimal
 * numbers, each with an optional fraction and a unit suffix, e.g. {@code "300ms"}, {@code "1.5h"},
 * {@code "2h45m"}, {@code "720h"}. Units: {@code ns}, {@code us} ({@code µs}, {@code μs}), {@code ms},
 * {@code s}, {@code m}, {@code h}. An optional leading sign; {@code "0"} alone needs no unit. Values are
 * nanoseconds held in a {@code long}, like Go's {@code time.Duration}, so anything beyond ±292 years is an
 * overflow.
 *
 * <p>Stateless; every method may be called from any thread.
 */
public final class GoDuration {

    private static final long NANOS_PER_MICRO = 1_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
    private static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;

    private GoDuration() {
    }

    /**
     * Parses a Go duration string.
     *
     * @throws IllegalArgumentException with a message saying what is wrong (no unit, unknown unit, overflow…)
     */
    public static Duration parse(String text) {
        return Duration.ofNanos(parseNanos(text));
    }

    /** As {@link #parse} but returns nanoseconds. */
    public static long parseNanos(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid duration: null");
        }
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        long total = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '.' && !isDigit(c)) {
                throw invalid(text);
            }
            // Integer part.
            int start = i;
            long whole = 0;
            while (i < s.length() && isDigit(s.charAt(i))) {
                int digit = s.charAt(i) - '0';
                if (whole > (Long.MAX_VALUE - digit) / 10) {
                    throw overflow(text);
                }
                whole = whole * 10 + digit;
                i++;
            }
            boolean hasWhole = i > start;
            // Fraction part: digits past what a long can hold only lose precision, as in Go.
            long fraction = 0;
            double scale = 1;
            boolean hasFraction = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                boolean overflowed = false;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    if (!overflowed) {
                        int digit = s.charAt(i) - '0';
                        if (fraction > (Long.MAX_VALUE - digit) / 10) {
                            overflowed = true;
                        } else {
                            fraction = fraction * 10 + digit;
                            scale *= 10;
                        }
                    }
                    i++;
                }
                hasFraction = i > fractionStart;
            }
            if (!hasWhole && !hasFraction) {
                throw invalid(text);
            }
            // Unit.
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            if (unitStart == i) {
                throw new IllegalArgumentException("missing unit in duration \"" + text + "\"");
            }
            String unitText = s.substring(unitStart, i);
            long unit = unitNanos(unitText);
            if (unit == 0) {
                throw new IllegalArgumentException("unknown unit \"" + unitText + "\" in duration \"" + text
                        + "\" (use ns, us, ms, s, m or h)");
            }
            if (whole > Long.MAX_VALUE / unit) {
                throw overflow(text);
            }
            long value = whole * unit;
            if (fraction > 0) {
                long extra = (long) ((double) fraction * ((double) unit / scale));
                if (extra < 0 || value > Long.MAX_VALUE - extra) {
                    throw overflow(text);
                }
                value += extra;
            }
            if (total > Long.MAX_VALUE - value) {
                throw overflow(text);
            }
            total += value;
        }
        return negative ? -total : total;
    }

    /**
     * Formats a duration so that {@link #parse} reads it back exactly, in the shortest Go form: whole hours,
     * minutes and seconds without zero components ({@code "720h"}, {@code "1h30m"}, {@code "1m5.5s"}), and
     * {@code ms}/{@code µs}/{@code ns} below one second ({@code "300ms"}); zero is {@code "0s"}.
     *
     * @throws ArithmeticException if the duration does not fit in a {@code long} of nanoseconds
     */
    public static String format(Duration duration) {
        return formatNanos(duration.toNanos());
    }

    /** As {@link #format} for a nanosecond count. */
    public static String formatNanos(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (nanos < 0) {
            out.append('-');
        }
        // Magnitude as an unsigned long so that Long.MIN_VALUE works too.
        long u = nanos < 0 ? -nanos : nanos;
        if (Long.compareUnsigned(u, NANOS_PER_SECOND) < 0) {
            if (u < NANOS_PER_MICRO) {
                return out.append(u).append("ns").toString();
            }
            if (u < NANOS_PER_MILLI) {
                return appendFraction(out, u, NANOS_PER_MICRO, 3).append("µs").toString();
            }
            return appendFraction(out, u, NANOS_PER_MILLI, 6).append("ms").toString();
        }
        long hours = Long.divideUnsigned(u, NANOS_PER_HOUR);
        long rest = Long.remainderUnsigned(u, NANOS_PER_HOUR);
        long minutes = rest / NANOS_PER_MINUTE;
        rest %= NANOS_PER_MINUTE;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (rest > 0) {
            appendFraction(out, rest, NANOS_PER_SECOND, 9).append('s');
        }
        return out.toString();
    }

    private static StringBuilder appendFraction(StringBuilder out, long value, long unit, int digits) {
        out.append(value / unit);
        long fraction = value % unit;
        if (fraction != 0) {
            String f = String.format("%0" + digits + "d", fraction);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(f, 0, end);
        }
        return out;
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> NANOS_PER_MICRO;
            case "ms" -> NANOS_PER_MILLI;
            case "s" -> NANOS_PER_SECOND;
            case "m" -> NANOS_PER_MINUTE;
            case "h" -> NANOS_PER_HOUR;
            default -> 0;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration \"" + text
                + "\" (expected e.g. \"25s\", \"300ms\", \"1h30m\")");
    }

    private static IllegalArgumentException overflow(String text) {
        return new IllegalArgumentException("duration \"" + text + "\" is too large");
    }
}
