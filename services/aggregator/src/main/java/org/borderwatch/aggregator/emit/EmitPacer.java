package org.borderwatch.aggregator.emit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps emitting changed windows to at most a share of a stream thread's time.
 *
 * <p>An emit costs per changed key and window, not per report: every punctuation re-sums and forwards each window
 * that contains a changed bucket (1 + 24 + 7 records per busy key with the default windows). Live, with a few busy
 * keys, that takes well under a millisecond and every punctuation emits. While a backlog is replayed, or under
 * thousands of reports per second, every key is busy at every punctuation: the emits then took half of the stream
 * thread (bench catch-up with JFR), and each was superseded by the next a moment later.
 *
 * <p>So each stream thread has an emit budget of CPU time: it grows with the thread's CPU time at {@code share} (1 ms
 * per 10 ms at 0.1), at most to {@link #MAX_BALANCE}, and every emit spends the CPU time it took. A task's punctuation
 * emits while the budget is positive; otherwise its marks wait for a later punctuation, at most {@link #MAX_DEFER}
 * (real time) after its last emit. CPU time, not real time: on a busy machine a thread gets the CPU for a fraction of
 * the real time, and a real-time budget let emits take half of what it got (bench catch-up beside other work). Nothing is lost meanwhile: the pending marks stay (in the logged store), and the next emit covers every
 * bucket changed since. Breaches of region rules do not wait for an emit (see {@code rules.BreachTracker}); rule
 * changes and active breaches are re-evaluated at every punctuation.
 *
 * <p>The budget is the thread's, not a task's: a stream thread runs many tasks (a region and a country stage per
 * partition), and a share per task would add up to many times the share. Real time is {@link System#nanoTime()}, not
 * the processor's wall clock, which Kafka Streams only refreshes between records.
 */
final class EmitPacer {

    /** However long emits take, a task's marks are emitted this long after its last emit at the latest. */
    static final Duration MAX_DEFER = Duration.ofSeconds(5);
    /** The most budget banked: a quiet minute does not pay for a burst of slow emits later. */
    static final Duration MAX_BALANCE = Duration.ofMillis(100);

    private static final ThreadLocal<EmitPacer> THREAD_PACER = new ThreadLocal<>();

    private final double share;
    private final LongSupplier cpuTime;
    private final LongSupplier nanoTime;
    private long balance;
    private long refilledAt;

    /**
     * @param share    the largest share of the thread's CPU time emits may take; 1 emits at every punctuation
     * @param cpuTime  the calling thread's CPU time in nanoseconds
     * @param nanoTime real time in nanoseconds
     */
    EmitPacer(final double share, final LongSupplier cpuTime, final LongSupplier nanoTime) {
        this.share = share;
        this.cpuTime = cpuTime;
        this.nanoTime = nanoTime;
        this.balance = MAX_BALANCE.toNanos();
        this.refilledAt = cpuTime.getAsLong();
    }

    /**
     * The pacer of the calling thread (a stream thread calls this from its punctuations), with this share: a pacer
     * with another share (another topology in this thread, as in tests) is replaced.
     */
    static EmitPacer ofCurrentThread(final double share) {
        final EmitPacer current = THREAD_PACER.get();
        if (current != null && current.share == share) {
            return current;
        }
        final EmitPacer pacer = new EmitPacer(share, threadCpuTime(), System::nanoTime);
        THREAD_PACER.set(pacer);
        return pacer;
    }

    /** The calling thread's CPU time; real time where the JVM cannot measure it (then the share is of real time). */
    private static LongSupplier threadCpuTime() {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            if (threads.isCurrentThreadCpuTimeSupported() && threads.getCurrentThreadCpuTime() >= 0) {
                return threads::getCurrentThreadCpuTime;
            }
        } catch (final UnsupportedOperationException e) {
            // fall through
        }
        return System::nanoTime;
    }

    /** Real time now: what a task keeps as the end of its last emit until it emits. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** Whether a task whose last emit ended at {@code lastEmitEnd} ({@link #now}) emits now. */
    boolean due(final long lastEmitEnd) {
        if (share >= 1) {
            return true;
        }
        final long cpu = cpuTime.getAsLong();
        balance = Math.min(MAX_BALANCE.toNanos(), balance + (long) ((cpu - refilledAt) * share));
        refilledAt = cpu;
        return balance > 0 || nanoTime.getAsLong() - lastEmitEnd >= MAX_DEFER.toNanos();
    }

    /** The start of an emit (CPU time), for {@link #emitted}. */
    long start() {
        return cpuTime.getAsLong();
    }

    /** An emit that began at {@code startCpu} ({@link #start}) has ended; returns its end in real time. */
    long emitted(final long startCpu) {
        balance -= cpuTime.getAsLong() - startCpu;
        return nanoTime.getAsLong();
    }
}
