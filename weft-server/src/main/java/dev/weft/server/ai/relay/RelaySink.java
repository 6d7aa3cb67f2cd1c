package dev.weft.server.ai.relay;

/**
 * Where a relay writes what it read from an upstream model API. A relay calls it from one thread at a time, in
 * upstream order; after {@link #finished} or {@link #failed} (exactly one of them, once) it calls nothing more.
 */
public interface RelaySink {

    /**
     * One part of the AI SDK UI message stream protocol v1, the bytes of a JSON object such as
     * {@code {"type":"text-delta","id":"t0","delta":"Hel"}} ({@code text-*}, {@code reasoning-*},
     * {@code tool-*}, {@code start-step}/{@code finish-step}, {@code source-*}, {@code data-*}). Never
     * {@code start}, {@code finish}, {@code error} or {@code abort}: the stream writes those itself.
     *
     * @return false when the stream takes no more (stopped, or over a limit); the relay then aborts its upstream
     *         request at once and calls nothing more
     */
    boolean part(byte[] uiPart);

    /** The upstream ended its answer; {@code finishReason} as the upstream gave it (e.g. {@code stop}), or null. */
    void finished(String finishReason);

    /**
     * The upstream failed: an HTTP error status, a timeout, a connection lost mid-answer, or a body that is not
     * the declared format. {@code reason} is what readers may see: it never holds a secret (no header values,
     * no URL query).
     */
    void failed(String reason);
}
