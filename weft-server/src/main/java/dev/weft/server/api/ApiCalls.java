package dev.weft.server.api;

import com.fasterxml.jackson.core.JacksonException;
import dev.weft.core.CommandFailedException;
import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.core.limits.LogThrottle;
import dev.weft.server.api.model.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

/**
 * Decoding a request into a method's record and running it, turning every failure into the error the caller
 * gets. Shared by the HTTP endpoint and {@code batch}. Stateless, thread-safe.
 */
public final class ApiCalls {
    private static final Logger log = LoggerFactory.getLogger(ApiCalls.class);
    /** A broker outage fails every call until it ends: one line a second says so. */
    private static final LogThrottle BROKER_OUTAGE_LOG = new LogThrottle(Duration.ofSeconds(1));

    private ApiCalls() {
    }

    /** What a call produced: exactly one of {@code result} and {@code error} is set. */
    public record Outcome(Object result, ApiError error) {
        static Outcome ok(Object result) {
            return new Outcome(result, null);
        }

        static Outcome failed(ApiError error) {
            return new Outcome(null, error);
        }
    }

    /**
     * Reads {@code params} (the bytes of a JSON object) into {@code method}'s request record; payload fields
     * keep their bytes (see {@link dev.weft.server.api.model.JsonPayload}).
     *
     * @throws MalformedRequestException when it is not a JSON object or a field has the wrong type
     */
    public static Object decode(ApiMethod<?, ?> method, byte[] params) {
        if (!startsAnObject(params)) {
            throw new MalformedRequestException(method.name() + ": request is not a JSON object");
        }
        try {
            return ApiJson.read(params, method.requestType());
        } catch (JacksonException e) {
            throw new MalformedRequestException(method.name() + ": " + e.getOriginalMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedRequestException(method.name() + ": " + e.getMessage());
        }
    }

    private static boolean startsAnObject(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    /** Runs a decoded request; never throws (a {@link MalformedRequestException} from {@code batch} aside). */
    public static Outcome call(ApiMethod<?, ?> method, Object request) {
        try {
            return Outcome.ok(method.call(request));
        } catch (ApiException e) {
            log.info("server API {} refused: {} {}", method.name(), e.error().code(), e.error().message());
            return Outcome.failed(e.error());
        } catch (CommandFailedException e) {
            // The engine's channel checks (unknown namespace, name too long, empty name) speak the same codes.
            log.info("server API {} refused: {} {}", method.name(), e.error().code(), e.getMessage());
            return Outcome.failed(new ApiError(e.error().code(), e.error().message()));
        } catch (MalformedRequestException e) {
            throw e;
        } catch (BrokerUnavailableException e) {
            long left = BROKER_OUTAGE_LOG.admit();
            if (left >= 0) {
                log.warn("server API {} failed ({} more such failures not logged): {}", method.name(), left,
                        e.getMessage());
            }
            return Outcome.failed(ApiError.INTERNAL);
        } catch (RuntimeException e) {
            log.error("server API {} failed", method.name(), e);
            return Outcome.failed(ApiError.INTERNAL);
        }
    }
}
