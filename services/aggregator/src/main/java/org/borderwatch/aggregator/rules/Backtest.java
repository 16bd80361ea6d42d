package org.borderwatch.aggregator.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketKey;
import org.borderwatch.aggregator.window.Figure;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.Breach;

/**
 * Evaluates one rule over historical reports and returns the breach changes it would have produced: the engine
 * behind {@code borderwatch rules backtest}. A pure function of (configured windows, rule, reports), using the same
 * buckets, current-window definition and {@link BreachLifecycle} as the live topology.
 *
 * <p>Idealised time: every report is counted at its occurredAt (as if none were late), duplicates by eventId count
 * once, and time moves continuously, so the rule is evaluated after every report and at every window advance
 * boundary while a breach is active; that is where a quiet border resolves (live, the wall-clock punctuation does
 * this within one punctuation interval). The rule is evaluated even when it is disabled: the question is what it
 * would have done.
 */
public final class Backtest {

    private final List<WindowSpec> windows;

    public Backtest(final List<WindowSpec> windows) {
        this.windows = List.copyOf(windows);
    }

    /**
     * @return the FIRING, ESCALATED and RESOLVED changes, ordered by time, then breachId
     * @throws IllegalArgumentException when the rule's window is not one of the configured windows
     */
    public List<Breach> run(final AlertRule rule, final Collection<Report> history) {
        final WindowSpec window = WindowSpec.find(windows, rule.getWindow()).orElseThrow(() ->
                new IllegalArgumentException("rule " + rule.getRuleId() + " watches window " + rule.getWindow()
                        + ", which is not a configured window " + windows.stream().map(WindowSpec::name).toList()));
        final Map<String, List<Report>> byKey = new TreeMap<>();
        final Set<UUID> counted = new HashSet<>();
        history.stream().sorted(Comparator.comparingLong(Report::occurredAt)).forEach(report -> {
            if (!counted.add(report.eventId())) {
                return;
            }
            if (RuleMatch.matches(rule, Level.REGION, report.region(), report.threatType())) {
                byKey.computeIfAbsent(BucketKey.of(report.region(), report.threatType()), key -> new ArrayList<>())
                        .add(report);
            }
            final String country = Report.countryOf(report.region());
            if (RuleMatch.matches(rule, Level.COUNTRY, country, report.threatType())) {
                byKey.computeIfAbsent(BucketKey.of(country, report.threatType()), key -> new ArrayList<>())
                        .add(report);
            }
        });
        final List<Breach> changes = new ArrayList<>();
        byKey.forEach((key, reports) -> changes.addAll(new Replay(rule, window, BucketKey.parse(key)).run(reports)));
        changes.sort(Comparator.comparing(Breach::getUpdatedAt).thenComparing(Breach::getBreachId));
        return changes;
    }

    /** The replay of one aggregate (region or country, and threat type). */
    private static final class Replay {

        private final AlertRule rule;
        private final WindowSpec window;
        private final BucketKey key;
        private final NavigableMap<Long, Bucket> buckets = new TreeMap<>();
        private final List<Breach> changes = new ArrayList<>();
        private BreachState state;

        Replay(final AlertRule rule, final WindowSpec window, final BucketKey key) {
            this.rule = rule;
            this.window = window;
            this.key = key;
        }

        List<Breach> run(final List<Report> reports) {
            long previous = Long.MIN_VALUE;
            for (final Report report : reports) {
                if (previous != Long.MIN_VALUE) {
                    advance(previous, report.occurredAt());
                }
                buckets.computeIfAbsent(window.granularity().bucketStart(report.occurredAt()), start -> new Bucket())
                        .add(report);
                evaluate(report.occurredAt());
                previous = report.occurredAt();
            }
            if (previous != Long.MIN_VALUE) {
                // After the last report the value only falls; once the window has left it behind it stays at zero.
                advance(previous, previous + window.sizeMs());
            }
            return changes;
        }

        /**
         * Evaluates at each advance boundary in (from, to] while a breach is active: between reports the value can
         * only fall, so nothing can fire or escalate there, only resolve.
         */
        private void advance(final long from, final long to) {
            final long last = Math.min(to, from + window.sizeMs());
            for (long boundary = window.lastStartContaining(from) + window.advanceMs();
                 boundary <= last && state != null && state.active(); boundary += window.advanceMs()) {
                evaluate(boundary);
            }
        }

        private void evaluate(final long time) {
            final long start = window.currentStart(time);
            final Bucket sum = Bucket.sum(buckets.subMap(start, true, start + window.sizeMs(), false).values());
            final Figure figure = new Figure(window, start, start + window.sizeMs(), sum);
            final Optional<Transition> transition =
                    BreachLifecycle.evaluate(rule, state, key.code(), key.threatType(), figure, time);
            transition.ifPresent(change -> {
                state = change.state();
                changes.add(change.breach());
            });
        }
    }
}
