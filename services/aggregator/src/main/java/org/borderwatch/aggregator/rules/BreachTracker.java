package org.borderwatch.aggregator.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketKey;
import org.borderwatch.aggregator.window.Figure;
import org.borderwatch.aggregator.window.WindowFigures;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.EscalationTier;
import org.borderwatch.avro.ThreatType;

/**
 * Evaluates rules against the current window of one level's aggregates and hands breach changes (key
 * {@code breachId}) to a {@link BreachSink}. The state of every identity lives in a named key-value store, so the
 * lifecycle survives restarts and rebalances, and exactly-once makes each change and its state update atomic.
 *
 * <p>A report is checked against the rules watching its key as it is counted ({@link #reportAdded}), so a surge
 * fires without waiting for the next punctuation. That check costs no store read: every evaluation leaves a
 * {@link Watch} with the current window's value and the next threshold it could cross; a report in that window
 * adds its contribution, and only a report that reaches the threshold (or a window that moved on) evaluates from the
 * stores. Metrics only grow with reports, so a report can fire or escalate a breach but never resolve one; resolving
 * is the punctuation's work ({@link #reevaluateActive}).
 */
public final class BreachTracker {

    /**
     * One breach identity's current window as of its last evaluation: start, value (plus every report counted into
     * it since), and the value at which the next evaluation could change the breach.
     */
    private record Watch(long start, double value, double trigger) {
    }

    private final Level level;
    private final RuleBook rules;
    private final WindowFigures figures;
    private final KeyValueStore<String, BreachState> states;
    private final BreachSink sink;
    private final Map<String, Watch> watches = new HashMap<>();
    private long rulesVersion;

    public BreachTracker(final Level level, final RuleBook rules, final WindowFigures figures,
                         final KeyValueStore<String, BreachState> states, final BreachSink sink) {
        this.level = level;
        this.rules = rules;
        this.figures = figures;
        this.states = states;
        this.sink = sink;
        this.rulesVersion = rules.version();
    }

    /**
     * A report was just counted into the buckets of {@code key} ({@code code|threatType}): evaluates each rule whose
     * current window it changed and whose next threshold it may have reached.
     */
    public void reportAdded(final String key, final Report report, final long now) {
        final List<AlertRule> watching = rules.matching(level, key);
        if (watching.isEmpty()) {
            return;
        }
        if (rulesVersion != rules.version()) {
            watches.clear();
            rulesVersion = rules.version();
        }
        for (final AlertRule rule : watching) {
            final WindowSpec window = rules.window(rule).orElseThrow();
            final long start = window.currentStart(now);
            if (report.occurredAt() < start || report.occurredAt() >= start + window.sizeMs()) {
                continue;
            }
            final String breachId = rule.getRuleId() + "|" + key;
            final Watch watch = watches.get(breachId);
            if (watch != null && watch.start() == start) {
                final double value = watch.value() + Bucket.contribution(report, rule.getMetric());
                if (value < watch.trigger()) {
                    watches.put(breachId, new Watch(start, value, watch.trigger()));
                    continue;
                }
            }
            evaluate(rule, report.region(), report.threatType(), now);
        }
    }

    /** Evaluates every applicable rule against the aggregate {@code key} ({@code code|threatType}). */
    public void evaluateKey(final String key, final long now) {
        final BucketKey bucketKey = BucketKey.parse(key);
        for (final AlertRule rule : rules.matching(level, key)) {
            evaluate(rule, bucketKey.code(), bucketKey.threatType(), now);
        }
    }

    /** Evaluates a new or changed rule against every aggregate of this task with data in its current window. */
    public void evaluateRule(final AlertRule rule, final long now) {
        final WindowSpec window = rules.window(rule).orElseThrow();
        for (final String key : figures.keysInCurrentWindow(window, now)) {
            final BucketKey bucketKey = BucketKey.parse(key);
            if (rules.applies(rule, level, bucketKey.code(), bucketKey.threatType())) {
                evaluate(rule, bucketKey.code(), bucketKey.threatType(), now);
            }
        }
    }

    /**
     * Re-evaluates every active breach against its current window as of {@code now}: how a quiet border resolves,
     * and how a deleted, disabled or narrowed rule resolves the breaches it no longer applies to.
     */
    public void reevaluateActive(final long now) {
        final List<BreachState> active = new ArrayList<>();
        try (KeyValueIterator<String, BreachState> all = states.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.active()) {
                    active.add(entry.value);
                }
            });
        }
        for (final BreachState state : active) {
            final AlertRule rule = rules.get(state.ruleId());
            if (rules.applies(rule, level, state.region(), state.threatType())) {
                evaluate(rule, state.region(), state.threatType(), now);
            } else {
                final Figure figure = rules.window(state.window())
                        .map(window -> figures.current(BucketKey.of(state.region(), state.threatType()), window, now))
                        .orElse(null);
                apply(BreachLifecycle.resolve(state, figure, now, whyNotApplying(rule, state)), now);
            }
        }
    }

    private String whyNotApplying(final AlertRule rule, final BreachState state) {
        if (rule == null) {
            return "rule " + state.ruleId() + " was deleted";
        }
        if (!rule.getEnabled()) {
            return "rule " + state.ruleId() + " was disabled";
        }
        if (rules.window(rule).isEmpty()) {
            return "rule " + state.ruleId() + " now watches window " + rule.getWindow()
                    + ", which is not a configured window";
        }
        return "rule " + state.ruleId() + " no longer applies to " + state.region() + " " + state.threatType();
    }

    private void evaluate(final AlertRule rule, final String code, final ThreatType threatType, final long now) {
        final WindowSpec window = rules.window(rule).orElseThrow();
        final Figure figure = figures.current(BucketKey.of(code, threatType), window, now);
        final String breachId = BreachState.breachId(rule.getRuleId(), code, threatType);
        final BreachState previous = states.get(breachId);
        apply(BreachLifecycle.evaluate(rule, previous, code, threatType, figure, now), now);
        final double value = figure.bucket().metric(rule.getMetric());
        watches.put(breachId, new Watch(figure.start(), value, trigger(rule, value)));
    }

    /** The lowest threshold (the rule's or a tier's) above {@code value}: crossing it may fire or escalate. */
    private static double trigger(final AlertRule rule, final double value) {
        double trigger = rule.getThreshold() > value ? rule.getThreshold() : Double.POSITIVE_INFINITY;
        for (final EscalationTier tier : rule.getEscalations()) {
            if (tier.getThreshold() > value) {
                trigger = Math.min(trigger, tier.getThreshold());
            }
        }
        return trigger;
    }

    private void apply(final Optional<Transition> transition, final long now) {
        transition.ifPresent(change -> {
            states.put(change.state().breachId(), change.state());
            sink.changed(change.state().breachId(), change.breach(), now);
        });
    }
}
