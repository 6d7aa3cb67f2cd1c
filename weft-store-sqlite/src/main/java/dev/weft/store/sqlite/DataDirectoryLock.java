package dev.weft.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock {@link SqliteBroker} holds on {@value SqliteBroker#LOCK_FILE_NAME} while it has a data directory
 * open: two processes on one file would each cache streams the other moves on, so the second is refused.
 * Stateless.
 */
final class DataDirectoryLock {

    private static final Logger log = LoggerFactory.getLogger(DataDirectoryLock.class);

    private DataDirectoryLock() {
    }

    /** Takes the lock without waiting; refused when another broker, in this process or another, holds it. */
    static FileLock take(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve(SqliteBroker.LOCK_FILE_NAME).toAbsolutePath();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by this process: fall through to the refusal
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SqliteBrokerException("cannot lock " + lockFile + " for the channel history: " + e, e);
        }
        closeQuietly(channel);
        throw new SqliteBrokerException("cannot open the channel history under " + dataDirectory.toAbsolutePath()
                + ": another Weft node uses this data directory (" + lockFile + " is locked); give each node its "
                + "own data_dir");
    }

    static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            log.warn("Releasing {} failed: {}", SqliteBroker.LOCK_FILE_NAME, e.toString());
        }
        closeQuietly(lock.channel());
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
