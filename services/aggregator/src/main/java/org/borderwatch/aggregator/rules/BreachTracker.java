package org.borderwatch.aggregator.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.borderwatch.aggregator.window.BucketKey;
import org.borderwatch.aggregator.window.Figure;
import org.borderwatch.aggregator.window.WindowFigures;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.ThreatType;

/**
 * Evaluates rules against the current window of one level's aggregates and forwards breach changes (key
 * {@code breachId}). The state of every identity lives in a named key-value store, so the lifecycle survives
 * restarts and rebalances, and exactly-once makes each change and its state update atomic.
 */
public final class BreachTracker {

    private final Level level;
    private final RuleBook rules;
    private final WindowFigures figures;
    private final KeyValueStore<String, BreachState> states;
    private final ProcessorContext<String, Object> context;

    public BreachTracker(final Level level, final RuleBook rules, final WindowFigures figures,
                         final KeyValueStore<String, BreachState> states,
                         final ProcessorContext<String, Object> context) {
        this.level = level;
        this.rules = rules;
        this.figures = figures;
        this.states = states;
        this.context = context;
    }

    /** Evaluates every applicable rule against the aggregate {@code key} ({@code code|threatType}). */
    public void evaluateKey(final String key, final long now) {
        final BucketKey bucketKey = BucketKey.parse(key);
        for (final AlertRule rule : rules.matching(level, bucketKey.code(), bucketKey.threatType())) {
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
        final BreachState previous = states.get(BreachState.breachId(rule.getRuleId(), code, threatType));
        apply(BreachLifecycle.evaluate(rule, previous, code, threatType, figure, now), now);
    }

    private void apply(final Optional<Transition> transition, final long now) {
        transition.ifPresent(change -> {
            states.put(change.state().breachId(), change.state());
            context.forward(new Record<>(change.state().breachId(), change.breach(), now));
        });
    }
}
