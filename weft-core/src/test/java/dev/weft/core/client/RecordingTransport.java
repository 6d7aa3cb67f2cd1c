package dev.weft.core.client;

import dev.weft.core.transport.Transport;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A transport that keeps what the engine writes, decoded, and can pretend its write queue is full. */
public final class RecordingTransport implements Transport {
    private final ProtocolType type;
    private final boolean unidirectional;
    private final boolean emulation;
    private final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private volatile Disconnect closedWith;
    private volatile boolean queueFull;

    public RecordingTransport(ProtocolType type) {
        this(type, false);
    }

    /** A unidirectional transport here still encodes pushes as replies, so {@link #replies()} reads them. */
    public RecordingTransport(ProtocolType type, boolean unidirectional) {
        this(type, unidirectional, false);
    }

    private RecordingTransport(ProtocolType type, boolean unidirectional, boolean emulation) {
        this.type = type;
        this.unidirectional = unidirectional;
        this.emulation = emulation;
    }

    /** A bidirectional emulation transport (HTTP-streaming, SSE): commands arrive through a router. */
    public static RecordingTransport emulated(ProtocolType type) {
        return new RecordingTransport(type, false, true);
    }

    @Override
    public boolean emulation() {
        return emulation;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public ProtocolType protocolType() {
        return type;
    }

    @Override
    public boolean unidirectional() {
        return unidirectional;
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1:1";
    }

    @Override
    public Map<String, String> headers() {
        return Map.of();
    }

    @Override
    public boolean write(byte[] frame) {
        if (queueFull) {
            return false;
        }
        frames.add(frame);
        return true;
    }

    @Override
    public void close(Disconnect disconnect) {
        if (closedWith == null) {
            closedWith = disconnect;
        }
    }

    public void setQueueFull(boolean full) {
        queueFull = full;
    }

    public Disconnect closedWith() {
        return closedWith;
    }

    public List<byte[]> frames() {
        return List.copyOf(frames);
    }

    /** Every reply and push written so far, in order. */
    public List<Reply> replies() {
        List<Reply> out = new ArrayList<>();
        for (byte[] f : frames) {
            try {
                out.addAll(ProtocolCodecs.of(type).decodeReplies(f));
            } catch (ProtocolDecodeException e) {
                throw new AssertionError("engine wrote an undecodable frame", e);
            }
        }
        return out;
    }
}
