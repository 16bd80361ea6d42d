package org.borderwatch.alert.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The wire format of pre-encoded events, and the event-loop queue that delivers them in order. */
class SseFrameTest {

    @Test
    void shouldWriteIdEventAndOneDataLinePerLineWhenTheDataHasLineBreaks() {
        final SseFrame frame = SseFrame.event("3.0.7", "alert", "<alert>\r\n  <id>r1</id>\n</alert>");

        assertThat(frame.toString()).isEqualTo("id: 3.0.7\nevent: alert\ndata: <alert>\ndata:   <id>r1</id>\n"
                + "data: </alert>\n\n");
        assertThat(frame.change()).isTrue();
    }

    @Test
    void shouldKeepACommentOnOneLineWhenItHasLineBreaks() {
        final SseFrame frame = SseFrame.comment("stream open\nat 0.0");

        assertThat(frame.toString()).isEqualTo(": stream open at 0.0\n\n");
        assertThat(frame.change()).isFalse();
    }

    @Test
    void shouldRunEveryTaskOnceInOrderWhenTasksArriveWhileItDrains() throws Exception {
        final ExecutorService loop = Executors.newSingleThreadExecutor();
        try {
            final LoopQueue queue = new LoopQueue(loop);
            final List<Integer> ran = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                final int task = i;
                queue.execute(() -> ran.add(task)); // only the loop's thread touches the list
            }
            // Runs after the drain that the last task scheduled (or found scheduled): the loop is one thread.
            loop.submit(() -> { }).get(10, TimeUnit.SECONDS);

            assertThat(ran).hasSize(100_000);
            for (int i = 0; i < ran.size(); i++) {
                assertThat(ran.get(i)).isEqualTo(i);
            }
        } finally {
            loop.shutdownNow();
        }
    }
}
