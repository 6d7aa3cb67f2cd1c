package dev.weft.nats;

import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.protocol.model.StreamPosition;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;

/**
 * Results of publishes made with an idempotency key, one KV entry per channel and key, shared by every node.
 *
 * <p>JetStream's own {@code Nats-Msg-Id} dedupe cannot serve: its window is stream-wide and it answers a
 * duplicate with the sequence, not the publication's offset and epoch, and publications without history are
 * not in the stream at all. So a publish first <em>claims</em> the key with a compare-and-set (create, or update
 * at the revision of an expired entry): the one publisher whose claim succeeds publishes, then stores the
 * position; a concurrent publisher with the same key sees the claim and waits for the position (or for the
 * claim to lapse, should its owner die), so a key is published exactly once whatever node the repeats reach.
 * A failed publish deletes its claim so a retry can go through.
 *
 * <p>Each entry carries its own expiry (nats-server 2.9 has no per-key TTL); the bucket's max age drops
 * entries nobody read again. A result TTL longer than the bucket's max age is cut to it.
 */
final class IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    static final Duration BUCKET_MAX_AGE = Duration.ofHours(24);
    private static final int WRONG_LAST_SEQUENCE = 10071;

    private final KeyValue kv;
    private final Duration claimTimeout;

    IdempotencyKeys(KeyValue kv, Duration claimTimeout) {
        this.kv = kv;
        this.claimTimeout = claimTimeout;
    }

    /** A claim on a key: only its holder publishes. */
    record Claim(String key, long revision, long expiresAt) {
    }

    /** Either {@code previous} (the key was used: suppress) or {@code claim} (publish, then complete). */
    record Outcome(StreamPosition previous, Claim claim) {
    }

    Outcome claim(String channel, String idempotencyKey, Duration resultTtl) {
        String key = SubjectTokens.token(channel) + "." + SubjectTokens.token(idempotencyKey);
        long deadline = System.nanoTime() + claimTimeout.toNanos();
        long resultExpiry = resultTtl.compareTo(BUCKET_MAX_AGE) > 0 ? BUCKET_MAX_AGE.toMillis() : resultTtl.toMillis();
        try {
            while (true) {
                long now = System.currentTimeMillis();
                byte[] pending = encode(false, now + claimTimeout.toMillis() * 2, null);
                KeyValueEntry entry = kv.get(key);
                try {
                    if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                        long revision = kv.create(key, pending);
                        return new Outcome(null, new Claim(key, revision, now + resultExpiry));
                    }
                    Value value = decode(entry.getValue());
                    if (value.expiresAt() <= now) {
                        long revision = kv.update(key, pending, entry.getRevision());
                        return new Outcome(null, new Claim(key, revision, now + resultExpiry));
                    }
                    if (value.position() != null) {
                        return new Outcome(value.position(), null);
                    }
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                        throw e;
                    }
                    continue; // another publisher wrote the key between our read and our write: look again
                }
                if (System.nanoTime() > deadline) {
                    throw new NatsEngineException("a publish with idempotency key '" + idempotencyKey
                            + "' into " + channel + " is still in progress elsewhere");
                }
                Thread.sleep(2);
            }
        } catch (JetStreamApiException e) {
            throw new NatsEngineException("NATS refused the idempotency key of a publish into " + channel, e);
        } catch (IOException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not check the idempotency key of a publish into "
                    + channel + " (is NATS reachable?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsEngineException("interrupted while claiming an idempotency key", e);
        }
    }

    /** Stores the position the claimed publish got; repeats of the key now get it back. */
    void complete(Claim claim, StreamPosition position) {
        try {
            kv.update(claim.key(), encode(true, claim.expiresAt(), position), claim.revision());
        } catch (IOException | JetStreamApiException e) {
            // The publish happened; a repeat will wait for the claim to lapse and then publish again.
            log.warn("Could not store the result of an idempotent publish ({}): {}", claim.key(), e.toString());
        }
    }

    /** Gives the key up after a failed publish, so that a retry is not suppressed. */
    void release(Claim claim) {
        try {
            kv.delete(claim.key(), claim.revision());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            log.debug("Could not release idempotency claim {} (it lapses on its own): {}", claim.key(), e.toString());
        }
    }

    private record Value(long expiresAt, StreamPosition position) {
    }

    private static byte[] encode(boolean done, long expiresAt, StreamPosition position) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(done);
            out.writeLong(expiresAt);
            if (done) {
                out.writeLong(position.offset());
                out.writeUTF(position.epoch());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static Value decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            boolean done = in.readBoolean();
            long expiresAt = in.readLong();
            return new Value(expiresAt, done ? new StreamPosition(in.readLong(), in.readUTF()) : null);
        } catch (IOException e) {
            return new Value(0, null); // unreadable: treat as expired, the next claim overwrites it
        }
    }
}
