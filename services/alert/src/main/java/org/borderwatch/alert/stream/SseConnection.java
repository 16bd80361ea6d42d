package org.borderwatch.alert.stream;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One SSE stream's queue of frames. Changes held in memory and heartbeats are emitted on the connection's own event
 * loop, so they never meet and the connection's write follows at once on that thread; a resume reader, before those,
 * emits from its own thread, and a heartbeat may meet it there: the sink serializes them without a lock (a change
 * waits, spinning, for as long as one frame takes to hand on; a heartbeat that meets a change is skipped, the stream
 * not being idle then). The queue's size is the backlog: what the client has not taken yet.
 */
final class SseConnection {

    private static final SseFrame HEARTBEAT = SseFrame.comment("heartbeat");
    private static final Sinks.EmitFailureHandler WAIT_FOR_HEARTBEAT =
            Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));

    private final ScheduledExecutorService loop;
    private final Queue<SseFrame> queue = Queues.<SseFrame>unbounded().get();
    private final Sinks.Many<SseFrame> sink = Sinks.many().unicast().onBackpressureBuffer(queue);
    private volatile Runnable stopBeating = () -> { };
    private volatile boolean ended;

    /** @param loop the connection's event loop; null outside Netty (heartbeats then come from Reactor's timer) */
    SseConnection(final ScheduledExecutorService loop) {
        this.loop = loop;
    }

    void emit(final SseFrame frame) {
        try {
            sink.emitNext(frame, WAIT_FOR_HEARTBEAT);
        } catch (final Sinks.EmissionException e) {
            // A heartbeat held the sink for a second: close; the client resumes with its Last-Event-ID.
            complete();
        }
    }

    void complete() {
        sink.tryEmitComplete();
    }

    int backlog() {
        return queue.size();
    }

    Flux<SseFrame> frames() {
        return sink.asFlux();
    }

    /** A timer of this stream's own, so that the heartbeats of many streams opened at different times spread. */
    void beatEvery(final Duration interval) {
        if (loop != null) {
            final ScheduledFuture<?> beats = loop.scheduleAtFixedRate(() -> sink.tryEmitNext(HEARTBEAT),
                    interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
            stopBeating = () -> beats.cancel(false);
        } else {
            final Disposable beats = Flux.interval(interval).subscribe(tick -> sink.tryEmitNext(HEARTBEAT));
            stopBeating = beats::dispose;
        }
    }

    /** The stream ended (the client left, or it was completed): no more heartbeats or deliveries. */
    void end() {
        ended = true;
        stopBeating.run();
    }

    boolean ended() {
        return ended;
    }
}
