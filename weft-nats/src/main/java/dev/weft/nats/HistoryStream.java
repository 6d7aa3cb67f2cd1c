package dev.weft.nats;

import dev.weft.core.broker.BrokerUnavailableException;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.PurgeOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JetStream side of the NATS broker: the history stream {@code <PREFIX>_HISTORY} over {@code <prefix>.h.>},
 * one subject per channel, each message an {@link Envelope}. Reads the last message of a channel (its stream
 * meta), walks publications back through their {@code prevSeq} links, appends with optimistic concurrency
 * ({@code Nats-Expected-Last-Subject-Sequence}) and purges. How these make offsets and epochs is explained on
 * {@link NatsBroker}.
 *
 * <p>Thread-safe: every call is one or a few independent JetStream requests; {@link #seed} is volatile.
 */
final class HistoryStream {

    private static final Logger log = LoggerFactory.getLogger(HistoryStream.class);

    private static final int WRONG_LAST_SEQUENCE = 10071;
    private static final int NO_MESSAGE_FOUND = 10037;
    static final int STREAM_NOT_FOUND = 10059;
    private static final String EXPECTED_LAST_SUBJECT_SEQUENCE = "Nats-Expected-Last-Subject-Sequence";

    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final String prefix;
    private final String name;
    private final Duration timeout;
    /** Seed of the epochs of channels that never had a stream: the stream's name and creation time. */
    private volatile String seed;

    HistoryStream(Connection connection, String prefix, Duration timeout) throws IOException, JetStreamApiException {
        JetStreamOptions requests = JetStreamOptions.builder().requestTimeout(timeout).build();
        this.jetStream = connection.jetStream(requests);
        this.management = connection.jetStreamManagement(requests);
        this.prefix = prefix;
        this.name = NatsEngine.resourceName(prefix, "HISTORY");
        this.timeout = timeout;
        this.seed = seedOf(NatsEngine.ensureStream(management, name, prefix + ".h.>"));
    }

    /** A message of the stream and where it is. */
    record Stored(long seq, Envelope envelope) {
    }

    /** A stream's epoch and top offset (0: no stream; the epoch is then the one its first publication gets). */
    record Head(String epoch, long offset) {
    }

    /** JetStream refused an append because another one came first. */
    static final class WrongLastSequence extends Exception {
        WrongLastSequence() {
            super(null, null, false, false);
        }
    }

    String name() {
        return name;
    }

    /** The channel's last message; null when its subject holds none. */
    Stored last(String channel) {
        return lastOn(subject(channel), channel);
    }

    /** The subjects holding anything (publications or a tombstone), each with its number of messages. */
    Map<String, Long> subjects() {
        try {
            Map<String, Long> out = new HashMap<>();
            for (Subject subject : management.getStreamInfo(name, StreamInfoOptions.allSubjects())
                    .getStreamState().getSubjects()) {
                out.put(subject.getName(), subject.getCount());
            }
            return out;
        } catch (JetStreamApiException e) {
            throw new NatsEngineException("could not list the subjects of " + name + ": " + e.getMessage(), e);
        } catch (IOException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not list the subjects of " + name + ": " + e.getMessage(), e);
        }
    }

    /** The last message on one of the stream's subjects ({@code what} names it in errors); null if none. */
    Stored lastOn(String subject, String what) {
        try {
            return stored(management.getLastMessage(name, subject));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return null;
            }
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                recreate(e);
                return null;
            }
            throw new NatsEngineException("JetStream refused to read the stream of " + what + ": "
                    + e.getMessage(), e);
        } catch (IOException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not read the stream of " + what
                    + " (is NATS reachable?): " + e.getMessage(), e);
        }
    }

    /** The message at {@code seq}; null when it was purged. */
    Stored bySeq(long seq) {
        try {
            return stored(management.getMessage(name, seq));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return null;
            }
            throw new NatsEngineException("JetStream refused to read message " + seq + ": " + e.getMessage(), e);
        } catch (IOException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not read message " + seq + " (is NATS reachable?): "
                    + e.getMessage(), e);
        }
    }

    /** The channel's stream meta as readers see it: its last message, interpreted. */
    Head head(String channel, Stored last, long now) {
        if (last == null) {
            return new Head(Epochs.derived(seed, channel), 0);
        }
        return headOf(last, now);
    }

    /** The stream meta a channel's last message (not null) stands for. */
    static Head headOf(Stored last, long now) {
        Envelope envelope = last.envelope();
        if (envelope.kind() == Envelope.Kind.TOMBSTONE) {
            return new Head(envelope.epoch(), 0);
        }
        if (envelope.metaExpired(now)) {
            // Every node derives the same successor from the expired stream's last message.
            String next = Epochs.derived(envelope.epoch(), Long.toString(last.seq()), "expired");
            return new Head(next.equals(envelope.epoch()) ? Epochs.derived(next, "again") : next, 0);
        }
        return new Head(envelope.epoch(), envelope.offset());
    }

    /**
     * Walks a channel's publications of {@code epoch} from {@code start} back through {@code prevSeq} links,
     * newest first, down to offset {@code low} (inclusive), while {@code visit} returns true. Stops where the
     * chain ends: a purged message, another epoch, a tombstone. One request per step.
     */
    void walkBack(Stored start, String epoch, long low, Predicate<Envelope> visit) {
        Stored current = start;
        while (current != null) {
            Envelope entry = current.envelope();
            if (entry.kind() != Envelope.Kind.PUBLICATION || !entry.epoch().equals(epoch)
                    || Long.compareUnsigned(entry.offset(), low) < 0) {
                return;
            }
            if (!visit.test(entry) || entry.offset() == low || entry.offset() == 1 || entry.prevSeq() == 0) {
                return;
            }
            current = bySeq(entry.prevSeq());
        }
    }

    /** Appends to the channel's subject unless its last message is no longer {@code expectedLastSeq} (0: none). */
    long appendIfLast(String channel, Envelope envelope, long expectedLastSeq) throws WrongLastSequence {
        return appendIfLastOn(subject(channel), channel, envelope, expectedLastSeq);
    }

    /** {@link #appendIfLast} on one of the stream's subjects ({@code channel} names it in errors). */
    long appendIfLastOn(String subject, String channel, Envelope envelope, long expectedLastSeq)
            throws WrongLastSequence {
        Headers headers = new Headers().put(EXPECTED_LAST_SUBJECT_SEQUENCE, Long.toString(expectedLastSeq));
        Message message = NatsMessage.builder().subject(subject).headers(headers).data(envelope.encode())
                .build();
        try {
            PublishAck ack = jetStream.publish(message,
                    io.nats.client.PublishOptions.builder().expectedStream(name).streamTimeout(timeout).build());
            return ack.getSeqno();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                throw new WrongLastSequence();
            }
            throw new NatsEngineException("JetStream refused an append to " + channel + ": " + e.getMessage(), e);
        } catch (IOException | IllegalStateException e) {
            throw new BrokerUnavailableException("JetStream did not confirm an append to " + channel
                    + " (is NATS reachable?): " + e.getMessage(), e);
        }
    }

    /** Drops the channel's messages before {@code seq}. Best effort: reads ignore what is left anyway. */
    void purgeBefore(String channel, long seq) {
        purgeBeforeOn(subject(channel), seq);
    }

    /** {@link #purgeBefore} on one of the stream's subjects. */
    void purgeBeforeOn(String subject, long seq) {
        purge(subject, PurgeOptions.builder().subject(subject).sequence(seq).build());
    }

    /** Keeps only the channel's {@code keep} newest messages. Best effort, like {@link #purgeBefore}. */
    void keepNewest(String channel, long keep) {
        keepNewestOn(subject(channel), keep);
    }

    /** {@link #keepNewest} on one of the stream's subjects. */
    void keepNewestOn(String subject, long keep) {
        purge(subject, PurgeOptions.builder().subject(subject).keep(keep).build());
    }

    /** The first publication into an empty subject fixes its epoch: make sure it derives from today's stream. */
    void refreshSeed() {
        try {
            seed = seedOf(management.getStreamInfo(name));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw new NatsEngineException("could not read history stream " + name, e);
            }
            recreate(e);
        } catch (IOException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not read history stream " + name, e);
        }
    }

    /** Number of channels with anything in the stream (publications or a tombstone). */
    long channelCount() {
        try {
            return management.getStreamInfo(name).getStreamState().getSubjectCount();
        } catch (IOException | JetStreamApiException e) {
            throw new NatsEngineException("could not read history stream " + name, e);
        }
    }

    private void purge(String subject, PurgeOptions options) {
        try {
            management.purgeStream(name, options);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            log.warn("Could not trim the history on {}: {}", subject, e.toString());
        }
    }

    /** The stream was deleted under us (data lost): recreate it; its new creation time is the seed. */
    private void recreate(JetStreamApiException cause) {
        log.warn("History stream {} is gone ({}); recreating it, every channel starts a new epoch", name,
                cause.getMessage());
        try {
            seed = seedOf(NatsEngine.ensureStream(management, name, prefix + ".h.>"));
        } catch (IOException | JetStreamApiException e) {
            throw new NatsEngineException("could not recreate history stream " + name, e);
        }
    }

    private String subject(String channel) {
        return prefix + ".h." + SubjectTokens.token(channel);
    }

    private String seedOf(StreamInfo info) {
        return name + "@" + info.getCreateTime().toInstant().toEpochMilli();
    }

    private static Stored stored(MessageInfo info) {
        return new Stored(info.getSeq(), Envelope.decode(info.getData()));
    }
}
