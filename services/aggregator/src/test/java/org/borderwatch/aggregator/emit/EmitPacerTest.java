package org.borderwatch.aggregator.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class EmitPacerTest {

    /** The thread's CPU time, and real time in most cases: a thread that always has the CPU. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong realNanos = new AtomicLong(5_000_000_000L);

    @Test
    void shouldEmitAtOnceWhenNothingWasEmittedYet() {
        // Given a pacer that was just created and a task that never emitted
        final EmitPacer pacer = new EmitPacer(0.1, nanos::get, nanos::get);

        // Then the first emit is due
        assertThat(pacer.due(pacer.now())).isTrue();
    }

    @Test
    void shouldKeepEmitsToTheShareOfTheThreadsTimeWhenEmitsAreSlow() {
        // Given a 10% share and an emit that took 200 ms (100 ms banked: 100 ms over budget)
        final EmitPacer pacer = new EmitPacer(0.1, nanos::get, nanos::get);
        final long lastEmit = emit(pacer, pacer.now(), Duration.ofMillis(200));

        // Then the next is not due until 10% of the time since the first emit began has paid for it
        advance(Duration.ofMillis(799));
        assertThat(pacer.due(lastEmit)).isFalse();
        advance(Duration.ofMillis(2));
        assertThat(pacer.due(lastEmit)).isTrue();
    }

    @Test
    void shouldMakeEveryTaskOfTheThreadWaitWhenOneTaskSpentTheBudget() {
        // Given two tasks on one thread, and task A's emit took 200 ms
        final EmitPacer pacer = new EmitPacer(0.1, nanos::get, nanos::get);
        final long taskBLastEmit = pacer.now();
        emit(pacer, pacer.now(), Duration.ofMillis(200));

        // Then task B waits too: the budget is the thread's
        assertThat(pacer.due(taskBLastEmit)).isFalse();
    }

    @Test
    void shouldEmitATasksMarksAtTheLatestAfterTheLongestDeferWhenTheBudgetIsSpent() {
        // Given a task that last emitted just now and a budget spent by a 10 s emit
        final EmitPacer pacer = new EmitPacer(0.1, nanos::get, nanos::get);
        final long lastEmit = emit(pacer, pacer.now(), Duration.ofSeconds(10));

        // Then its marks are emitted once the longest defer has passed, budget or not
        advance(EmitPacer.MAX_DEFER.minusMillis(1));
        assertThat(pacer.due(lastEmit)).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(pacer.due(lastEmit)).isTrue();
    }

    @Test
    void shouldBankAtMostTheLargestBalanceWhenTheThreadWasIdle() {
        // Given an idle minute, then an emit that took 150 ms
        final EmitPacer pacer = new EmitPacer(0.1, nanos::get, nanos::get);
        advance(Duration.ofMinutes(1));
        assertThat(pacer.due(pacer.now())).isTrue();
        final long lastEmit = emit(pacer, pacer.now(), Duration.ofMillis(150));

        // Then only 100 ms were banked: the next emit waits
        assertThat(pacer.due(lastEmit)).isFalse();
    }

    @Test
    void shouldEmitAtEveryPunctuationWhenTheShareIsOne() {
        // Given a share of 1 and an emit that took ten seconds
        final EmitPacer pacer = new EmitPacer(1, nanos::get, nanos::get);
        final long lastEmit = emit(pacer, pacer.now(), Duration.ofSeconds(10));

        // Then the next emit is due at once
        assertThat(pacer.due(lastEmit)).isTrue();
    }

    @Test
    void shouldNotGrowTheBudgetWhenRealTimePassesButTheThreadGetsNoCpu() {
        // Given a thread whose emit took 200 ms of CPU (and of real time), on a machine that then gives it no CPU
        final EmitPacer pacer = new EmitPacer(0.1, nanos::get, realNanos::get);
        assertThat(pacer.due(pacer.now())).isTrue();
        final long started = pacer.start();
        advance(Duration.ofMillis(200));
        realNanos.addAndGet(Duration.ofMillis(200).toNanos());
        final long lastEmit = pacer.emitted(started);

        // When two seconds of real time pass without CPU time
        realNanos.addAndGet(Duration.ofSeconds(2).toNanos());

        // Then the budget has not grown; the marks are emitted once the longest defer has passed
        assertThat(pacer.due(lastEmit)).isFalse();
        realNanos.addAndGet(EmitPacer.MAX_DEFER.minusSeconds(2).toNanos());
        assertThat(pacer.due(lastEmit)).isTrue();
    }

    private long emit(final EmitPacer pacer, final long lastEmit, final Duration took) {
        assertThat(pacer.due(lastEmit)).isTrue();
        final long started = pacer.start();
        advance(took);
        return pacer.emitted(started);
    }

    private void advance(final Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
