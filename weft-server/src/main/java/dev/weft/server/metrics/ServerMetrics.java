package dev.weft.server.metrics;

import dev.weft.core.Node;
import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.core.metrics.EngineMetrics;
import dev.weft.postgres.changes.ChangeStream;
import dev.weft.postgres.changes.ChangeStreams;
import dev.weft.postgres.outbox.OutboxConsumer;
import dev.weft.server.docs.DocumentService;
import dev.weft.server.docs.DocumentTraffic;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Every meter of one server, exported in the Prometheus text format at {@code /metrics}: the engine's
 * ({@link #engine()}, bound to the node), the server API's, the document store's, gauges read from the node
 * and the document rooms at scrape time, refusals by reason, and the JVM's and Netty's memory.
 *
 * <p>Readers inside the server (the admin pages' live chart) sample {@link #throughput()} or query
 * {@link #registry()} by meter name; both are cheap and thread-safe.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = newRegistry();
    private final MeteredEngine engine = new MeteredEngine(registry);
    private final ApiMetrics api = new ApiMetrics(registry);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Boolean> refusalReasons = new ConcurrentHashMap<>();
    private volatile RefusalCounters refusals;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
        gauge("weft.netty.direct.memory.used", registry, r -> PlatformDependent.usedDirectMemory(),
                "Direct memory Netty allocated itself (-1 when Netty leaves it to the JVM's accounting)");
    }

    /**
     * The registry, with a description for every meter bound without one (Netty's allocator binder): an empty
     * {@code # HELP} line is refused by some parsers of the text format.
     */
    private static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = id.getDescription();
                return description != null && !description.isBlank() ? id
                        : new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                        id.getName().replace('.', ' '), id.getType());
            }
        });
        return registry;
    }

    /** What the node's sessions report into: bind with {@code node.setMetrics(metrics.engine())}. */
    public EngineMetrics engine() {
        return engine;
    }

    /** Server API calls. */
    public ApiMetrics api() {
        return api;
    }

    /** Gauges of what {@code node} holds now, read at each scrape, and its refusals by reason. */
    public void watch(Node node) {
        gauge("weft.node.clients", node, n -> n.stats().clients(), "Client connections open now, all transports");
        gauge("weft.node.users", node, n -> n.stats().users(), "Distinct users connected now");
        gauge("weft.node.channels", node, n -> n.stats().channels(), "Channels with a subscriber on this node");
        gauge("weft.node.subscriptions", node, n -> n.stats().subscriptions(), "Subscriptions on this node");
        gauge("weft.client.pending.bytes", node, Node::pendingBytes,
                "Bytes queued for clients and not yet written to their sockets, all connections (queue depth)");
        this.refusals = node.refusals();
    }

    /** Gauges and counters of the document rooms: loaded documents and bytes, updates and awareness relayed. */
    public void watch(DocumentService docs) {
        gauge("weft.docs.loaded", docs, d -> d.rooms().loaded().size(), "Documents loaded in memory");
        gauge("weft.docs.loaded.bytes", docs, d -> d.rooms().loadedBytes(), "Bytes of the loaded documents");
        DocumentTraffic traffic = docs.traffic();
        counter("weft.docs.updates.relayed", traffic, DocumentTraffic::updates,
                "Document updates sent to peers (one per receiving peer)");
        counter("weft.docs.updates.relayed.bytes", traffic, DocumentTraffic::updateBytes,
                "Bytes of the document updates sent to peers");
        counter("weft.docs.awareness.relayed", traffic, DocumentTraffic::awareness,
                "Awareness messages sent to peers (fan-out: one per receiving peer)");
        counter("weft.docs.awareness.relayed.bytes", traffic, DocumentTraffic::awarenessBytes,
                "Bytes of the awareness messages sent to peers");
    }

    /** Per change stream (tag {@code stream}): the slot's lag, publications made and changes skipped. */
    public void watch(ChangeStreams changes) {
        for (ChangeStream stream : changes.streams()) {
            Tags tags = Tags.of("stream", stream.config().name());
            Gauge.builder("weft.postgres.changes.lag", stream, ChangeStream::lagBytes).tags(tags)
                    .strongReference(true).baseUnit("bytes")
                    .description("WAL the change stream's replication slot holds back in Postgres (-1 = not read yet)")
                    .register(registry);
            Gauge.builder("weft.postgres.changes.connected", stream, s -> s.streaming() ? 1 : 0).tags(tags)
                    .strongReference(true).description("1 while the change stream reads its slot").register(registry);
            FunctionCounter.builder("weft.postgres.changes.published", stream, ChangeStream::published).tags(tags)
                    .description("Publications made from row changes (a change sent again after a reconnect counts "
                            + "again; its idempotency key keeps clients from seeing it twice)").register(registry);
            FunctionCounter.builder("weft.postgres.changes.skipped", stream, ChangeStream::skipped).tags(tags)
                    .description("Row changes skipped because the engine refused their channel").register(registry);
        }
    }

    /** Counters of one outbox consumer, tagged with its name; {@code weft_outbox_up} is 0 while it is failing. */
    public void watch(OutboxConsumer outbox) {
        Tags consumer = Tags.of("consumer", outbox.config().name());
        FunctionCounter.builder("weft.outbox.rows", outbox, OutboxConsumer::rowsDone).tags(consumer)
                .description("Outbox rows taken off the table: run, or set aside").register(registry);
        FunctionCounter.builder("weft.outbox.rows.rejected", outbox, OutboxConsumer::rowsRejected).tags(consumer)
                .description("Outbox rows set aside in the dead-letter table").register(registry);
        FunctionCounter.builder("weft.outbox.failures", outbox, OutboxConsumer::failures).tags(consumer)
                .description("Outbox passes that failed and were retried (Postgres unreachable, broker down)")
                .register(registry);
        Gauge.builder("weft.outbox.up", outbox, o -> o.unavailableReason() == null ? 1 : 0).tags(consumer)
                .strongReference(true).description("1 while the outbox consumer works, 0 while it retries")
                .register(registry);
    }

    /** {@code store}, timing appends and compactions and recording update sizes here. */
    public DocumentStore meter(DocumentStore store) {
        return new MeteredDocumentStore(store, registry);
    }

    /** Frames and bytes to and from clients since the start, all transports: sample twice for a rate. */
    public Throughput throughput() {
        return engine.throughput();
    }

    /** The registry, for readers that look meters up by name. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        registerNewRefusalReasons();
        return registry.scrape();
    }

    /** Refusal reasons are created as they first happen ({@code docs.<error>} among them): meter each once. */
    private void registerNewRefusalReasons() {
        RefusalCounters counters = refusals;
        if (counters == null) {
            return;
        }
        for (String reason : counters.snapshot().keySet()) {
            refusalReasons.computeIfAbsent(reason, r -> {
                FunctionCounter.builder("weft.refusals", counters, c -> c.count(r)).tag("reason", r)
                        .description("Requests, commands and connections refused, by reason (docs/protocol.md#limits)")
                        .register(registry);
                return Boolean.TRUE;
            });
        }
    }

    private <T> void gauge(String name, T source, ToDoubleFunction<T> value, String description) {
        Gauge.builder(name, source, value).strongReference(true).description(description).register(registry);
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> value, String description) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
