package org.borderwatch.alert.stream;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks for one event loop, run in the order given, many per wake-up. One change going to ten thousand streams is
 * ten thousand deliveries: handed to the streams' event loops one task each, they cost a task submission and a
 * wake-up per stream on the alert log's single thread; queued here, they cost a queue offer there and the event loops
 * run them in batches — on the thread that writes to the connection, so the write is not handed over again.
 */
final class LoopQueue implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopQueue.class);

    private final Executor loop;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    LoopQueue(final Executor loop) {
        this.loop = loop;
    }

    void execute(final Runnable task) {
        tasks.offer(task);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        // Cleared first: a task offered from now on either is run by this pass or schedules the next one.
        scheduled.set(false);
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (final RuntimeException e) {
                LOG.warn("An SSE delivery failed: {}; the other streams go on", e.toString(), e);
            }
        }
    }
}
