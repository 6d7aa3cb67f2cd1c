package dev.weft.core.docs.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentStoreHealthTest {

    @Test
    void failureIsReportedUntilACheckOfTheStoreSucceeds() {
        MemoryDocumentStore store = new MemoryDocumentStore();
        // The check runs inline, so what it found shows on the next question.
        DocumentStoreHealth health = new DocumentStoreHealth(store, Runnable::run, Duration.ZERO);
        assertThat(health.problem()).isNull();

        health.failed("could not store an update", new DocumentStoreException("documents.db: no space", null, true));

        assertThat(health.problem()).isEqualTo("disk full: documents.db: no space");
        assertThat(health.problem()).as("the check succeeded").isNull();
    }

    @Test
    void aStoreThatStillFailsItsCheckStaysReported() {
        MemoryDocumentStore store = new MemoryDocumentStore();
        DocumentStoreHealth health = new DocumentStoreHealth(store, Runnable::run, Duration.ZERO);
        store.close();

        health.failed("could not load", new DocumentStoreException("I/O error"));

        assertThat(health.problem()).isEqualTo("I/O error");
        assertThat(health.problem()).contains("closed");
    }
}
