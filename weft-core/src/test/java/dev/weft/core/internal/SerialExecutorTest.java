package dev.weft.core.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialExecutorTest {
    /** Runs what it is given when told to, so a test decides when queued tasks run. */
    private static final class ManualExecutor implements Executor {
        final List<Runnable> pending = new ArrayList<>();
        boolean rejecting;

        @Override
        public void execute(Runnable command) {
            if (rejecting) {
                throw new RejectedExecutionException("shut down");
            }
            pending.add(command);
        }

        void runAll() {
            while (!pending.isEmpty()) {
                pending.removeFirst().run();
            }
        }
    }

    @Test
    void lastTaskRunsAfterEverythingAcceptedEvenWhenTheQueueIsFull() {
        ManualExecutor backing = new ManualExecutor();
        SerialExecutor serial = new SerialExecutor(backing, 2);
        List<String> ran = new ArrayList<>();
        assertThat(serial.execute(() -> ran.add("a"))).isTrue();
        assertThat(serial.execute(() -> ran.add("b"))).isTrue();
        assertThat(serial.execute(() -> ran.add("refused"))).as("queue full").isFalse();

        assertThat(serial.closeWith(() -> ran.add("last"))).isTrue();
        assertThat(serial.execute(() -> ran.add("after"))).as("nothing after the last task").isFalse();
        assertThat(serial.closeWith(() -> ran.add("second last"))).isFalse();
        backing.runAll();

        assertThat(ran).containsExactly("a", "b", "last");
    }

    @Test
    void lastTaskRunsOnTheCallerWhenTheBackingExecutorRefuses() {
        ManualExecutor backing = new ManualExecutor();
        backing.rejecting = true;
        SerialExecutor serial = new SerialExecutor(backing, 10);
        List<String> ran = new ArrayList<>();
        assertThatThrownBy(() -> serial.execute(() -> ran.add("queued while refusing")))
                .isInstanceOf(RejectedExecutionException.class);

        serial.closeWith(() -> ran.add("last"));

        assertThat(ran).containsExactly("queued while refusing", "last");
    }
}
