package dev.weft.store.sqlite;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class DeliveryQueueTest {

    @Test
    void theHandlerQueueingEventsIntoAFullQueueDoesNotWaitForItself() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (DeliveryQueue deliveries = new DeliveryQueue(1)) {
            deliveries.add(() -> {
                ran.add("first");
                for (int i = 1; i <= 3; i++) {
                    String name = "queued by the handler " + i;
                    deliveries.add(() -> ran.add(name));
                }
                deliveries.add(done::countDown);
            });
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> done.await());
        }
        assertThat(ran).containsExactly("first", "queued by the handler 1", "queued by the handler 2",
                "queued by the handler 3");
    }

    @Test
    void refusesCallsThatWaitForCommitsOnlyOnTheDeliveryThread() throws Exception {
        AtomicReference<Throwable> onDeliveryThread = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        try (DeliveryQueue deliveries = new DeliveryQueue(4)) {
            deliveries.checkNotDelivering("publish");
            deliveries.add(() -> {
                try {
                    deliveries.checkNotDelivering("publish");
                } catch (IllegalStateException e) {
                    onDeliveryThread.set(e);
                }
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThatThrownBy(() -> {
            throw onDeliveryThread.get();
        }).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("publish called from the broker event handler");
    }
}
