package dev.weft.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Server API calls by method: how long each took and which were answered with an error code. Thread-safe. */
public final class ApiMetrics {
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One call of {@code method} answered in {@code nanos}; {@code errorCode} 0 when it succeeded. */
    public void call(String method, long nanos, int errorCode) {
        timers.computeIfAbsent(method, m -> Timer.builder("weft.api.command.duration")
                .description("Server API calls, by method (a batch counts once, as batch)")
                .tag("method", m).serviceLevelObjectives(Buckets.LATENCY).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (errorCode != 0) {
            errors.computeIfAbsent(method + ':' + errorCode, key -> Counter.builder("weft.api.command.errors")
                    .description("Server API calls answered with an error, by method and error code")
                    .tag("method", method).tag("code", Integer.toString(errorCode)).register(registry)).increment();
        }
    }
}
