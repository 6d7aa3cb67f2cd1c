package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;

import java.time.Duration;
import java.util.Map;

/**
 * How to publish: history limits of the channel, who published, tags, and an optional idempotency key.
 * {@code historyMetaTtl} is how long the stream's epoch and offset survive without publications
 * ({@link Duration#ZERO} = forever). {@code delta}: the publisher asks that subscribers with delta compression
 * get this publication as a delta (Centrifuge's {@code UseDelta}); brokers deliver the flag with it
 * ({@link BrokerEventHandler#handlePublication}) and keep nothing of it in history.
 */
public record PublishOptions(int historySize, Duration historyTtl, Duration historyMetaTtl, ClientInfo info,
                             Map<String, String> tags, String idempotencyKey, Duration idempotentResultTtl,
                             boolean delta) {

    /** How long an idempotency key suppresses a repeated publish unless configured otherwise. */
    public static final Duration DEFAULT_IDEMPOTENT_RESULT_TTL = Duration.ofMinutes(5);

    public PublishOptions {
        historyTtl = historyTtl == null ? Duration.ZERO : historyTtl;
        historyMetaTtl = historyMetaTtl == null ? Duration.ZERO : historyMetaTtl;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
        idempotentResultTtl = idempotentResultTtl == null || idempotentResultTtl.isZero()
                ? DEFAULT_IDEMPOTENT_RESULT_TTL : idempotentResultTtl;
    }

    /** Without the delta flag. */
    public PublishOptions(int historySize, Duration historyTtl, Duration historyMetaTtl, ClientInfo info,
                          Map<String, String> tags, String idempotencyKey, Duration idempotentResultTtl) {
        this(historySize, historyTtl, historyMetaTtl, info, tags, idempotencyKey, idempotentResultTtl, false);
    }

    /** A publication that is only delivered, not kept. */
    public static PublishOptions noHistory() {
        return new PublishOptions(0, Duration.ZERO, Duration.ZERO, null, Map.of(), "", null);
    }

    public static PublishOptions withHistory(int size, Duration ttl) {
        return new PublishOptions(size, ttl, Duration.ZERO, null, Map.of(), "", null);
    }

    public boolean keepsHistory() {
        return historySize > 0 && historyTtl.isPositive();
    }

    public PublishOptions withInfo(ClientInfo newInfo) {
        return new PublishOptions(historySize, historyTtl, historyMetaTtl, newInfo, tags, idempotencyKey,
                idempotentResultTtl, delta);
    }

    public PublishOptions withIdempotencyKey(String key) {
        return new PublishOptions(historySize, historyTtl, historyMetaTtl, info, tags, key, idempotentResultTtl, delta);
    }

    public PublishOptions withTags(Map<String, String> newTags) {
        return new PublishOptions(historySize, historyTtl, historyMetaTtl, info, newTags, idempotencyKey,
                idempotentResultTtl, delta);
    }

    public PublishOptions withMetaTtl(Duration metaTtl) {
        return new PublishOptions(historySize, historyTtl, metaTtl, info, tags, idempotencyKey,
                idempotentResultTtl, delta);
    }

    public PublishOptions withDelta(boolean newDelta) {
        return new PublishOptions(historySize, historyTtl, historyMetaTtl, info, tags, idempotencyKey,
                idempotentResultTtl, newDelta);
    }
}
