package org.borderwatch.aggregator.emit;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.borderwatch.aggregator.rules.BreachState;
import org.borderwatch.aggregator.rules.BreachTracker;
import org.borderwatch.aggregator.rules.Level;
import org.borderwatch.aggregator.rules.RuleBook;
import org.borderwatch.aggregator.window.AggregateKey;
import org.borderwatch.aggregator.window.BucketSource;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.aggregator.window.WindowFigures;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.ThreatAggregate;

/**
 * Emits one level's changed windows and evaluates its rules, once per punctuation instead of once per event.
 *
 * <p>Events only mark their key in the pending-emit store. Every punctuation interval (wall-clock, default 1 s, well
 * within the second downstream allows) each marked key's changed windows are summed from buckets and forwarded, then
 * rules are evaluated. A key hit by thousands of events per second costs one emit per window per second. The marks
 * live in a logged store: a commit can land between an event and the next punctuation, and after a crash the
 * restored marks still get emitted. A copy in memory, read back from the store at initialisation (after restore,
 * and again whenever Kafka Streams re-initialises the task), answers the per-report lookups.
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

    public LevelPublisher(final ProcessorContext<String, Object> context, final Level level,
                          final List<WindowSpec> windows, final BucketSource buckets,
                          final KeyValueStore<String, DirtyRange> pending,
                          final KeyValueStore<String, BreachState> breaches,
                          final ReadOnlyKeyValueStore<String, ValueAndTimestamp<AlertRule>> ruleStore,
                          final EmitListener listener) {
        this.context = context;
        this.pending = pending;
        this.figures = new WindowFigures(buckets, windows);
        this.rules = new RuleBook(ruleStore, windows);
        this.tracker = new BreachTracker(level, rules, figures, breaches, context);
        this.listener = listener;
        try (KeyValueIterator<String, DirtyRange> all = pending.all()) {
            all.forEachRemaining(entry -> marks.put(entry.key, entry.value));
        }
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

    public void flush(final long wallClockTime) {
        final long now = Math.max(wallClockTime, context.currentStreamTimeMs());
        final List<AlertRule> changedRules = rules.refresh();
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
        for (final AlertRule rule : changedRules) {
            tracker.evaluateRule(rule, now);
        }
        tracker.reevaluateActive(now);
    }
}
