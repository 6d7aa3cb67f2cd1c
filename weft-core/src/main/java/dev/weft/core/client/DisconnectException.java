package dev.weft.core.client;

import dev.weft.protocol.model.Disconnect;

/**
 * Ends command processing with a disconnect instead of a reply; {@code getMessage()} is the reason for the log
 * (never sent to the client). Carries no stack trace: it is an expected outcome.
 */
final class DisconnectException extends RuntimeException {
    final transient Disconnect disconnect;

    DisconnectException(Disconnect disconnect, String detail) {
        super(detail, null, false, false);
        this.disconnect = disconnect;
    }
}
