package dev.weft.store.sqlite;

import dev.weft.core.docs.DocumentAccess;
import dev.weft.core.docs.DocumentError;
import dev.weft.core.docs.DocumentLimits;
import dev.weft.core.docs.DocumentPeer;
import dev.weft.core.docs.DocumentRooms;
import dev.weft.core.docs.DocumentSession;
import dev.weft.core.docs.YjsVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SQLite file that cannot grow (SQLite's {@code max_page_count}: it fails writes with {@code SQLITE_FULL},
 * exactly as a full disk does) under real rooms: the writer is told "disk full", readiness says so.
 */
class SqliteFullDiskRoomTest {
    @TempDir
    Path dataDirectory;

    @Test
    void fullDiskEndsTheWriterAsStoreFullAndReadinessSaysDiskFull() throws Exception {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (SqliteDocumentStore store = SqliteDocumentStore.open(dataDirectory, 64);
             DocumentRooms rooms = new DocumentRooms(store, DocumentLimits.DEFAULT, executor, timer)) {
            Writer writer = new Writer();
            DocumentSession session = rooms.join("notes", writer, DocumentAccess.READ_WRITE, true);
            byte[] update = YjsVectors.update(3); // about a page each
            for (int i = 0; i < 200 && !writer.closed.isDone(); i++) {
                session.update(update);
            }

            Writer.Close close = writer.closed.get(10, TimeUnit.SECONDS);
            System.out.printf("store full after %d appends of %d bytes: %s%n", writer.applied.get(), update.length,
                    close.detail());
            assertThat(close.error()).isEqualTo(DocumentError.STORE_FULL);
            assertThat(close.detail()).contains("disk full");
            assertThat(rooms.health().problem()).startsWith("disk full: ").contains(SqliteDocumentStore.FILE_NAME);
            assertThat(store.load("notes").updates()).hasSize(writer.applied.get());
        } finally {
            timer.shutdownNow();
            executor.shutdownNow();
        }
    }

    /** Counts what was applied; remembers how it was closed. */
    private static final class Writer implements DocumentPeer {
        record Close(DocumentError error, String detail) {
        }

        final AtomicInteger applied = new AtomicInteger();
        final CompletableFuture<Close> closed = new CompletableFuture<>();

        @Override
        public void sendStateVector(byte[] stateVector) {
        }

        @Override
        public void answerSyncStep1(byte[] missing, byte[] stateVector) {
        }

        @Override
        public boolean sendUpdate(byte[] update) {
            return true;
        }

        @Override
        public boolean sendAwareness(byte[] awarenessUpdate) {
            return true;
        }

        @Override
        public void updateResult(UpdateResult result) {
            applied.incrementAndGet();
        }

        @Override
        public void close(DocumentError error, String detail) {
            closed.complete(new Close(error, detail));
        }

        @Override
        public String describe() {
            return "writer";
        }
    }
}
