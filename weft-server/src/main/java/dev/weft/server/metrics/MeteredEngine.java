package dev.weft.server.metrics;

import dev.weft.core.metrics.EngineMetrics;
import dev.weft.core.metrics.TransportMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's {@link EngineMetrics} on a Micrometer registry. Per-frame counters are plain {@link LongAdder}s
 * the registry reads at scrape time ({@link FunctionCounter}), so a fan-out delivery costs one uncontended add
 * per counter; meters keyed by method or code are created once and cached.
 */
final class MeteredEngine implements EngineMetrics {
    private final MeterRegistry registry;
    private final Map<String, Traffic> transports = new ConcurrentHashMap<>();
    private final Map<String, Timer> commandTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> commandErrors = new ConcurrentHashMap<>();
    private final Map<String, Timer> publishTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> publishErrors = new ConcurrentHashMap<>();
    private final Counter recovered;
    private final Counter notRecovered;
    private final Counter recoveredPublications;

    MeteredEngine(MeterRegistry registry) {
        this.registry = registry;
        this.recovered = Counter.builder("weft.client.recoveries").tag("result", "recovered")
                .description("Subscribes asking to recover, by whether every missed publication came back")
                .register(registry);
        this.notRecovered = Counter.builder("weft.client.recoveries").tag("result", "not_recovered")
                .register(registry);
        this.recoveredPublications = Counter.builder("weft.client.recovered.publications")
                .description("Publications sent to clients by recovery").register(registry);
    }

    @Override
    public TransportMetrics transport(String transport) {
        return transports.computeIfAbsent(transport, Traffic::new);
    }

    @Override
    public void command(String method, long nanos) {
        commandTimers.computeIfAbsent(method, m -> Timer.builder("weft.client.command.duration")
                .description("Client commands, by method, from decoding to the reply queued")
                .tag("method", m).serviceLevelObjectives(Buckets.LATENCY).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void commandError(String method, int code) {
        commandErrors.computeIfAbsent(method + ':' + code, key -> Counter.builder("weft.client.command.errors")
                .description("Client commands answered with a protocol error, by method and error code")
                .tag("method", method).tag("code", Integer.toString(code)).register(registry)).increment();
    }

    @Override
    public void brokerPublish(String namespace, long nanos, boolean failed) {
        publishTimers.computeIfAbsent(namespace, this::publishMeters).record(nanos, TimeUnit.NANOSECONDS);
        if (failed) {
            publishErrors.get(namespace).increment();
        }
    }

    /** The namespace's publish timer, its error counter registered with it so dashboards see a 0. */
    private Timer publishMeters(String namespace) {
        publishErrors.put(namespace, Counter.builder("weft.broker.publish.errors")
                .description("Publishes the broker refused or failed (outage, timeout), by namespace")
                .tag("namespace", namespace).register(registry));
        return Timer.builder("weft.broker.publish.duration")
                .description("Publishes handed to the broker (history append and delivery to nodes), by namespace")
                .tag("namespace", namespace).serviceLevelObjectives(Buckets.LATENCY).register(registry);
    }

    @Override
    public void recovery(boolean wasRecovered, int publications) {
        (wasRecovered ? recovered : notRecovered).increment();
        recoveredPublications.increment(publications);
    }

    /**
     * Sent and received frames and bytes of every transport, summed, and the publishes the broker accepted (for
     * a throughput reader).
     */
    Throughput throughput() {
        long sent = 0;
        long sentBytes = 0;
        long received = 0;
        long receivedBytes = 0;
        for (Traffic t : transports.values()) {
            sent += t.sent.sum();
            sentBytes += t.sentBytes.sum();
            received += t.received.sum();
            receivedBytes += t.receivedBytes.sum();
        }
        long publishes = 0;
        for (Timer t : publishTimers.values()) {
            publishes += t.count();
        }
        for (Counter c : publishErrors.values()) {
            publishes -= (long) c.count();
        }
        return new Throughput(sent, sentBytes, received, receivedBytes, Math.max(0, publishes));
    }

    /** One transport's counters and its open-connection gauge. */
    private final class Traffic implements TransportMetrics {
        private final String transport;
        private final LongAdder sent = new LongAdder();
        private final LongAdder sentBytes = new LongAdder();
        private final LongAdder received = new LongAdder();
        private final LongAdder receivedBytes = new LongAdder();
        private final LongAdder open = new LongAdder();
        private final Counter opened;
        private final Map<Integer, Counter> closedByCode = new ConcurrentHashMap<>();

        Traffic(String transport) {
            this.transport = transport;
            FunctionCounter.builder("weft.transport.messages.sent", sent, LongAdder::sum).tag("transport", transport)
                    .description("Frames queued for clients (pushes, replies, pings)").register(registry);
            FunctionCounter.builder("weft.transport.sent.bytes", sentBytes, LongAdder::sum)
                    .tag("transport", transport).description("Bytes of the frames queued for clients")
                    .register(registry);
            FunctionCounter.builder("weft.transport.messages.received", received, LongAdder::sum)
                    .tag("transport", transport).description("Frames received from clients").register(registry);
            FunctionCounter.builder("weft.transport.received.bytes", receivedBytes, LongAdder::sum)
                    .tag("transport", transport).description("Bytes of the frames received from clients")
                    .register(registry);
            Gauge.builder("weft.client.connections", open, LongAdder::sum).tag("transport", transport)
                    .description("Client connections open now").register(registry);
            this.opened = Counter.builder("weft.client.connections.opened").tag("transport", transport)
                    .description("Client connections opened").register(registry);
        }

        @Override
        public void opened() {
            open.increment();
            opened.increment();
        }

        @Override
        public void closed(int code) {
            open.decrement();
            closedByCode.computeIfAbsent(code, c -> Counter.builder("weft.client.disconnects")
                    .description("Client connections closed, by transport and disconnect code (3000: the client left)")
                    .tag("transport", transport).tag("code", Integer.toString(c)).register(registry)).increment();
        }

        @Override
        public void sent(int bytes) {
            sent.increment();
            sentBytes.add(bytes);
        }

        @Override
        public void received(int bytes) {
            received.increment();
            receivedBytes.add(bytes);
        }
    }
}
