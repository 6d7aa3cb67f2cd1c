package dev.weft.server.ai.relay.format;

/**
 * The upstream ended its answer with an error, or sent something that is not the declared format. The message is
 * what a reader of the stream may see: it is built from the upstream's answer only, never from the request.
 */
public final class MalformedUpstreamException extends Exception {
    public MalformedUpstreamException(String message) {
        super(message, null, false, false);
    }
}
