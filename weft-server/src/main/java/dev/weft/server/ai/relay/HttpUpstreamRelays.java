package dev.weft.server.ai.relay;

import dev.weft.server.config.AiRelayConfig;
import dev.weft.server.outbound.OutboundHttp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Relays over HTTP with the server's {@link OutboundHttp} client: each relay POSTs its request and reads the
 * answer on a virtual thread of its own (see {@link Relay}). At most {@code ai.relay.max_concurrent} run at once
 * on this node. One watchdog (a scheduled virtual thread, every {@value #TICK_MILLIS} ms) enforces the first-byte,
 * idle and total timeouts by aborting the relays past one. Connecting is bounded by the client's own connect
 * timeout and by the first-byte timeout.
 *
 * <p>Configured upstreams' header values may hold {@code ${NAME}}: replaced with environment variable
 * {@code NAME} once, here (a variable that is not set is a startup error).
 *
 * <p>{@link RelayHandle#cancel()} waits for a sink call under way to return: do not call it while holding a
 * lock the sink's methods take. Thread-safe.
 */
public final class HttpUpstreamRelays implements UpstreamRelays, AutoCloseable {
    static final int TICK_MILLIS = 100;
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final AiRelayConfig config;
    private final OutboundHttp http;
    private final Map<String, AiRelayConfig.Upstream> upstreams;
    private final Semaphore slots;
    private final Set<Relay> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("ai-relay-watchdog").factory());

    /**
     * @param config {@code ai.relay.*} and {@code ai.upstreams} ({@code WeftConfig.aiRelay()})
     * @param http   the server's outbound client; not closed here
     * @param env    where {@code ${NAME}} in configured header values is looked up, normally {@link System#getenv()}
     * @throws IllegalArgumentException a configured header names a variable that is not set
     */
    public HttpUpstreamRelays(AiRelayConfig config, OutboundHttp http, Map<String, String> env) {
        this.config = config;
        this.http = http;
        this.upstreams = resolve(config.upstreams(), env);
        this.slots = new Semaphore(config.maxConcurrent());
        watchdog.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * @throws IllegalArgumentException the description is invalid
     * @throws IllegalStateException    {@code ai.relay.max_concurrent} relays already run on this node
     */
    @Override
    public RelayHandle start(byte[] upstreamJson, RelaySink sink) {
        UpstreamCall call = UpstreamCall.parse(upstreamJson, config, upstreams);
        if (!slots.tryAcquire()) {
            throw new IllegalStateException(config.maxConcurrent() + " relays already running on this node "
                    + "(ai.relay.max_concurrent)");
        }
        Relay[] self = new Relay[1];
        Relay relay = new Relay(call, sink, http, config.maxEventSize(), () -> {
            if (running.remove(self[0])) {
                slots.release();
            }
        });
        self[0] = relay;
        running.add(relay);
        relay.start();
        return relay;
    }

    /** Relays running now. */
    public int running() {
        return running.size();
    }

    private void tick() {
        long now = System.nanoTime();
        for (Relay relay : running) {
            relay.checkDeadlines(now);
        }
    }

    /** Cancels every running relay and stops the watchdog. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        for (Relay relay : running) {
            relay.cancel();
        }
    }

    private static Map<String, AiRelayConfig.Upstream> resolve(Map<String, AiRelayConfig.Upstream> configured,
                                                                Map<String, String> env) {
        Map<String, AiRelayConfig.Upstream> out = new LinkedHashMap<>();
        configured.forEach((name, u) -> {
            Map<String, String> headers = new LinkedHashMap<>();
            u.headers().forEach((header, value) -> {
                Matcher m = VARIABLE.matcher(value);
                StringBuilder resolved = new StringBuilder();
                while (m.find()) {
                    String v = env.get(m.group(1));
                    if (v == null) {
                        throw new IllegalArgumentException("ai.upstreams." + name + ".headers." + header
                                + ": environment variable " + m.group(1) + " is not set");
                    }
                    m.appendReplacement(resolved, Matcher.quoteReplacement(v));
                }
                m.appendTail(resolved);
                headers.put(header, resolved.toString());
            });
            out.put(name, new AiRelayConfig.Upstream(u.url(), headers, u.format(), u.firstByteTimeout(),
                    u.idleTimeout(), u.totalTimeout()));
        });
        return Map.copyOf(out);
    }
}
