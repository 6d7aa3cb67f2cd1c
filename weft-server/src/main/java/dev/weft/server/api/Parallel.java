package dev.weft.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Maps a list concurrently on an executor (virtual threads), at most {@code maxConcurrency} at a time, keeping
 * the input order in the output. The caller blocks until every element is done, so it must itself run where
 * blocking is allowed (never on an event loop).
 */
public final class Parallel {
    private Parallel() {
    }

    public static <T, R> List<R> map(List<T> items, Function<T, R> fn, Executor executor, int maxConcurrency) {
        Semaphore permits = new Semaphore(maxConcurrency);
        List<CompletableFuture<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            permits.acquireUninterruptibly();
            try {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return fn.apply(item);
                    } finally {
                        permits.release();
                    }
                }, executor));
            } catch (RuntimeException e) {
                permits.release();
                throw e;
            }
        }
        List<R> out = new ArrayList<>(futures.size());
        for (CompletableFuture<R> f : futures) {
            out.add(f.join());
        }
        return out;
    }
}
