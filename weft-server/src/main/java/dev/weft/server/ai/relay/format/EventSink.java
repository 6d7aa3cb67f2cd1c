package dev.weft.server.ai.relay.format;

/** Receives the events an {@link EventParser} cuts out, in order. */
@FunctionalInterface
public interface EventSink {
    void event(UpstreamEvent event) throws MalformedUpstreamException;
}
