package org.borderwatch.aggregator.emit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.rules.BreachTracker;
import org.borderwatch.aggregator.rules.Level;
import org.borderwatch.aggregator.rules.RuleBook;
import org.borderwatch.aggregator.store.StoreNames;
import org.borderwatch.aggregator.window.AggregateKey;
import org.borderwatch.aggregator.window.BucketSource;
import org.borderwatch.aggregator.window.DirtyRange;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.aggregator.window.WindowFigures;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.ThreatAggregate;

/**
 * Emits one level's changed windows and evaluates its rules, once per punctuation instead of once per event.
 *
 * <p>Events only mark their key in the pending-emit store. Every punctuation interval (wall-clock, 200 ms as shipped)
 * each marked key's changed windows are summed from buckets and forwarded, then rules are evaluated. A key hit by
 * thousands of events per second costs one emit per window per punctuation, and the {@link EmitPacer} spaces emits
 * out when they would take more than their share of the thread (a replayed backlog, a surge everywhere). The marks
 * live in a logged store: a commit can land between an event and the next punctuation, and after a crash the
 * restored marks still get emitted. A copy in memory, read back from the store at initialisation (after restore,
 * and again whenever Kafka Streams re-initialises the task), answers the per-report lookups.
 *
 * <p>Breaches do not wait for the punctuation: {@link #reportAdded} checks the rules watching a key as each report
 * is counted (see {@link BreachTracker}); the punctuation re-evaluates changed keys, new rules and active breaches.
 *
 * <p>The evaluation time is {@code max(stream time, wall-clock time)}: stream time when the clock of the data is
 * ahead (tests, a skewed agency clock), otherwise wall-clock time, which keeps moving when no events arrive, so a
 * quiet border resolves and the current window never goes back.
 */
public final class LevelPublisher {

    /** Called after a key's windows were emitted, with the buckets that changed (the roll-up ships them). */
    public interface EmitListener {
        void emitted(String key, DirtyRange range, WindowFigures figures);
    }

    /**
     * How far event time may lag the wall clock for a breach change, or a punctuation that emitted, to be committed at
     * once (see {@link #live}).
     */
    static final Duration LIVE = Duration.ofSeconds(30);

    private final ProcessorContext<String, Object> context;
    private final KeyValueStore<String, DirtyRange> pending;
    /**
     * The pending store's content, kept in memory so a report's mark costs no store read: read back from the
     * (restored) store when the processor is initialised, then written through. Sorted like the store, so emits keep
     * their order.
     */
    private final NavigableMap<String, DirtyRange> marks = new TreeMap<>();
    private final WindowFigures figures;
    private final RuleBook rules;
    private final BreachTracker tracker;
    private final EmitListener listener;
    private final double emitTimeShare;
    /** When this publisher's last emit ended, in {@link EmitPacer#now} time. */
    private long lastEmitEnd;
    /** The rules found at initialisation: the first flush evaluates them against every key, as any new rule. */
    private List<AlertRule> unevaluatedRules;

    /**
     * The publisher of {@code level} in the processor that owns {@code context}: its pending-emit, breach and rule
     * stores are looked up by their {@link StoreNames}.
     */
    public LevelPublisher(final ProcessorContext<String, Object> context, final Level level,
                          final List<WindowSpec> windows, final double emitTimeShare, final BucketSource buckets,
                          final EmitListener listener) {
        this.context = context;
        this.pending = context.getStateStore(StoreNames.pending(level));
        this.figures = new WindowFigures(buckets, windows);
        this.rules = new RuleBook(context.getStateStore(StoreNames.RULES_STORE), windows);
        this.tracker = new BreachTracker(level, rules, figures, context.getStateStore(StoreNames.breaches(level)),
                (breachId, breach, time) -> {
                    context.forward(new Record<>(breachId, breach, time));
                    if (live()) {
                        context.commit();
                    }
                });
        this.listener = listener;
        this.emitTimeShare = emitTimeShare;
        this.lastEmitEnd = EmitPacer.ofCurrentThread(emitTimeShare).now();
        this.unevaluatedRules = rules.refresh();
        try (KeyValueIterator<String, DirtyRange> all = pending.all()) {
            all.forEachRemaining(entry -> marks.put(entry.key, entry.value));
        }
    }

    /**
     * Whether this task's data is live: its stream time (the latest event time it has seen) within {@link #LIVE} of
     * the wall clock. Then a breach change, and a punctuation that emitted, ask Kafka Streams to commit as soon as the
     * thread's current loop iteration ends: the alert service and the country stage read them read_committed and
     * would otherwise wait for the commit interval (1 s, see {@code AggregatorConfig#DEFAULT_COMMIT_INTERVAL}).
     * Replaying a backlog, event time lags the clock and breach changes can come by the thousand; a transaction for
     * each would slow the catch-up down for outputs that are late anyway.
     */
    private boolean live() {
        return context.currentSystemTimeMs() - context.currentStreamTimeMs() <= LIVE.toMillis();
    }

    public void markDirty(final String key, final Granularity granularity, final long bucketStart) {
        final DirtyRange current = marks.get(key);
        if (current != null && current.covers(granularity, bucketStart)) {
            return;
        }
        final DirtyRange next = (current == null ? DirtyRange.EMPTY : current).including(granularity, bucketStart);
        marks.put(key, next);
        pending.put(key, next);
    }

    /** A report was counted into the buckets of {@code key}: fires or escalates at once what it pushed over. */
    public void reportAdded(final String key, final Report report) {
        tracker.reportAdded(key, report, now(context.currentSystemTimeMs()));
    }

    /**
     * The punctuation: emits the changed windows and evaluates their keys (unless the {@link EmitPacer} defers it:
     * the marks stay for the next one), then evaluates new or changed rules and re-evaluates active breaches.
     */
    public void flush(final long wallClockTime) {
        final long now = now(wallClockTime);
        final List<AlertRule> changedRules = new ArrayList<>(unevaluatedRules);
        changedRules.addAll(rules.refresh());
        unevaluatedRules = List.of();
        // The thread's pacer, looked up per punctuation: a task may move to another stream thread.
        final EmitPacer pacer = EmitPacer.ofCurrentThread(emitTimeShare);
        if (pacer.due(lastEmitEnd)) {
            final long started = pacer.start();
            final boolean emitted = emitMarked(now);
            lastEmitEnd = pacer.emitted(started);
            if (emitted && live()) {
                // Aggregates and roll-ups (the country stage reads them read_committed too) of live data: visible
                // within a punctuation, not a commit interval (1 s, for replays).
                context.commit();
            }
        }
        for (final AlertRule rule : changedRules) {
            tracker.evaluateRule(rule, now);
        }
        tracker.reevaluateActive(now);
    }

    /** Emits every marked key's changed windows; whether there was any. */
    private boolean emitMarked(final long now) {
        final List<KeyValue<String, DirtyRange>> dirty = new ArrayList<>(marks.size());
        marks.forEach((key, range) -> dirty.add(KeyValue.pair(key, range)));
        for (final KeyValue<String, DirtyRange> entry : dirty) {
            for (final ThreatAggregate aggregate : figures.changed(entry.key, entry.value)) {
                context.forward(new Record<>(AggregateKey.of(aggregate), aggregate,
                        aggregate.getLastEventAt().toEpochMilli()));
            }
            listener.emitted(entry.key, entry.value, figures);
            marks.remove(entry.key);
            pending.delete(entry.key);
        }
        for (final KeyValue<String, DirtyRange> entry : dirty) {
            tracker.evaluateKey(entry.key, now);
        }
        return !dirty.isEmpty();
    }

    private long now(final long wallClockTime) {
        return Math.max(wallClockTime, context.currentStreamTimeMs());
    }
}
