package dev.weft.core.docs.hooks;

import dev.weft.core.docs.hooks.WebhookOptions.Event;
import dev.weft.core.proxy.ProxyUnavailableException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The background webhook sender's rules: one call at a time per document and event, the newest whole state
 * replacing one that waits, and a bound on the bytes held while the backend does not answer.
 */
class WebhookDeliveriesTest {
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final CountDownLatch backendAnswers = new CountDownLatch(1);

    /** A backend that takes each call, then holds it until {@link #backendAnswers} opens. */
    private WebhookDeliveries deliveries() {
        return new WebhookDeliveries(Executors.newVirtualThreadPerTaskExecutor(), (event, body) -> {
            sent.add(event.wireName() + " " + new String(body, StandardCharsets.UTF_8));
            try {
                backendAnswers.await();
            } catch (InterruptedException e) {
                throw new ProxyUnavailableException("interrupted", false);
            }
            return new byte[0];
        });
    }

    @Test
    void aNewerStateReplacesTheOneWaitingWhileACallIsInFlight() {
        WebhookDeliveries d = deliveries();
        d.submit(Event.CHANGE, "doc", true, bytes("v1"));
        await().until(() -> sent.size() == 1);
        d.submit(Event.CHANGE, "doc", true, bytes("v2"));
        d.submit(Event.CHANGE, "doc", true, bytes("v3"));
        d.submit(Event.STORE, "doc", true, bytes("s1"));
        d.submit(Event.DISCONNECT, "doc", false, bytes("d1"));
        d.submit(Event.DISCONNECT, "doc", false, bytes("d2"));
        await().until(() -> sent.size() == 4);
        assertThat(sent).as("one change in flight; store and each disconnect on their own")
                .containsExactlyInAnyOrder("change v1", "store s1", "disconnect d1", "disconnect d2");

        backendAnswers.countDown();
        await().until(() -> d.pendingBytes() == 0);
        assertThat(sent).containsExactlyInAnyOrder("change v1", "store s1", "disconnect d1", "disconnect d2", "change v3");
        d.close(Duration.ofSeconds(1));
    }

    @Test
    void whatWaitsForAnUnansweringBackendStaysUnderTheBound() {
        WebhookDeliveries d = deliveries();
        byte[] large = new byte[(int) (WebhookDeliveries.MAX_PENDING_BYTES / 4)];
        for (int i = 0; i < 10; i++) {
            d.submit(Event.CHANGE, "doc-" + i, true, large);
            assertThat(d.pendingBytes()).isLessThanOrEqualTo(WebhookDeliveries.MAX_PENDING_BYTES);
        }
        await().until(() -> sent.size() == 4);
        assertThat(d.pendingBytes()).as("four documents' states held, six dropped")
                .isEqualTo(4L * large.length);

        backendAnswers.countDown();
        await().until(() -> d.pendingBytes() == 0);
        d.submit(Event.CHANGE, "doc-9", true, large);
        await().until(() -> sent.size() == 5);
        d.close(Duration.ofSeconds(1));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
