package dev.weft.redis.internal;

import dev.weft.core.broker.BrokerUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;

import java.util.function.Supplier;

/** Runs a Redis call, turning "Redis unreachable or too slow" into {@link BrokerUnavailableException}. */
public final class RedisCalls {

    private RedisCalls() {
    }

    /**
     * {@code call}'s result. An error Redis itself answered (a bug: a bad script, a wrong key type) is not an
     * outage and stays a {@link RedisCommandExecutionException}, except READONLY (a master Sentinel is turning
     * into a replica, before it drops our connection) and LOADING (a restarted or promoted Redis still
     * reading its data): those say "try again shortly".
     */
    public static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RedisReadOnlyException | RedisLoadingException e) {
            throw new BrokerUnavailableException("Redis unavailable (" + what + "): " + e.getMessage(), e);
        } catch (RedisCommandExecutionException e) {
            throw e;
        } catch (RedisException e) {
            throw new BrokerUnavailableException("Redis unavailable (" + what + "): " + e.getMessage(), e);
        }
    }

    public static void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }
}
