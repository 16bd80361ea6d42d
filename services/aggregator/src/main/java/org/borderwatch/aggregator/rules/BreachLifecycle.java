package org.borderwatch.aggregator.rules;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.borderwatch.aggregator.window.Figure;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.EscalationTier;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;

/**
 * The breach state machine, as a pure function shared by the live topology and the backtest.
 *
 * <pre>
 *               value &gt;= threshold                      value crosses a higher tier
 *   (inactive) ---------------------&gt; FIRING ---------------------------------------&gt; ESCALATED (again per tier)
 *        ^                               |                                                  |
 *        |    value &lt; resolveThreshold   |                                                  |
 *        +------------ RESOLVED &lt;--------+--------------------------------------------------+
 * </pre>
 *
 * One FIRING per identity until it resolves: the state, not the window, decides, so the many overlapping windows
 * that contain one event cannot fire twice. A first evaluation that already crosses tiers fires once, at the highest
 * tier crossed. There is no de-escalation: an escalated breach stays at its level until it resolves. The resolve
 * threshold is capped at the threshold, so a misconfigured rule cannot fire and resolve on the same value.
 */
public final class BreachLifecycle {

    private BreachLifecycle() {
    }

    public static Optional<Transition> evaluate(final AlertRule rule, final BreachState previous, final String region,
                                                final ThreatType threatType, final Figure figure, final long now) {
        final double value = figure.bucket().metric(rule.getMetric());
        final boolean active = previous != null && previous.active();
        final long version = previous == null ? 1 : previous.version() + 1;
        final List<EscalationTier> tiers = tiers(rule);
        final int level = level(tiers, value);
        if (!active) {
            if (value < rule.getThreshold()) {
                return Optional.empty();
            }
            final BreachState next = state(rule, figure, region, threatType, true, level,
                    severity(rule, tiers, level), now, version);
            final String reason = level == 0
                    ? rule.getMetric() + " reached " + number(value) + ", threshold " + number(rule.getThreshold())
                    : rule.getMetric() + " reached " + number(value) + ", past escalation tier " + level
                            + " (threshold " + number(threshold(rule, tiers, level)) + ")";
            return Optional.of(new Transition(next, breach(next, BreachStatus.FIRING, value,
                    threshold(rule, tiers, level), figure.window().name(), figure.start(), figure.end(), now,
                    reason)));
        }
        final double resolveBelow = Math.min(rule.getResolveThreshold(), rule.getThreshold());
        if (value < resolveBelow) {
            final BreachState next = state(rule, figure, region, threatType, false, previous.escalationLevel(),
                    previous.severity(), previous.startsAt(), version);
            return Optional.of(new Transition(next, breach(next, BreachStatus.RESOLVED, value, resolveBelow,
                    figure.window().name(), figure.start(), figure.end(), now, rule.getMetric() + " is "
                            + number(value) + ", below the resolve threshold " + number(resolveBelow))));
        }
        if (level > previous.escalationLevel()) {
            final BreachState next = state(rule, figure, region, threatType, true, level,
                    severity(rule, tiers, level), previous.startsAt(), version);
            return Optional.of(new Transition(next, breach(next, BreachStatus.ESCALATED, value,
                    threshold(rule, tiers, level), figure.window().name(), figure.start(), figure.end(), now,
                    rule.getMetric() + " rose to " + number(value) + ", past escalation tier " + level
                            + " (threshold " + number(threshold(rule, tiers, level)) + ")")));
        }
        return Optional.empty();
    }

    /**
     * Resolves an active breach whose rule no longer applies (deleted, disabled, or changed so that it no longer
     * matches this region or threat type). {@code figure} is the current window of the breach's own window and
     * metric, or null when that window is no longer configured; {@code reason} says why the rule no longer applies.
     */
    public static Optional<Transition> resolve(final BreachState previous, final Figure figure, final long now,
                                               final String reason) {
        if (previous == null || !previous.active()) {
            return Optional.empty();
        }
        final BreachState next = new BreachState(previous.breachId(), previous.ruleId(), previous.ruleName(),
                previous.region(), previous.threatType(), previous.metric(), previous.window(),
                previous.resolveThreshold(), false, previous.escalationLevel(), previous.severity(),
                previous.startsAt(), previous.version() + 1);
        final double value = figure == null ? 0.0 : figure.bucket().metric(previous.metric());
        final long start = figure == null ? now : figure.start();
        final long end = figure == null ? now : figure.end();
        return Optional.of(new Transition(next, breach(next, BreachStatus.RESOLVED, value,
                previous.resolveThreshold(), previous.window(), start, end, now, reason)));
    }

    private static List<EscalationTier> tiers(final AlertRule rule) {
        return rule.getEscalations().stream().sorted(Comparator.comparingDouble(EscalationTier::getThreshold)).toList();
    }

    private static int level(final List<EscalationTier> tiers, final double value) {
        int level = 0;
        while (level < tiers.size() && value >= tiers.get(level).getThreshold()) {
            level++;
        }
        return level;
    }

    private static Severity severity(final AlertRule rule, final List<EscalationTier> tiers, final int level) {
        return level == 0 ? rule.getSeverity() : tiers.get(level - 1).getSeverity();
    }

    private static double threshold(final AlertRule rule, final List<EscalationTier> tiers, final int level) {
        return level == 0 ? rule.getThreshold() : tiers.get(level - 1).getThreshold();
    }

    private static BreachState state(final AlertRule rule, final Figure figure, final String region,
                                     final ThreatType threatType,
                                     final boolean active, final int level, final Severity severity,
                                     final long startsAt, final long version) {
        return new BreachState(BreachState.breachId(rule.getRuleId(), region, threatType), rule.getRuleId(),
                rule.getName(), region, threatType, rule.getMetric(), figure.window().name(),
                Math.min(rule.getResolveThreshold(), rule.getThreshold()), active, level, severity, startsAt, version);
    }

    private static Breach breach(final BreachState state, final BreachStatus status, final double value,
                                 final double threshold, final String window, final long windowStart,
                                 final long windowEnd, final long now, final String reason) {
        return Breach.newBuilder()
                .setBreachId(state.breachId())
                .setRuleId(state.ruleId())
                .setRuleName(state.ruleName())
                .setRegion(state.region())
                .setThreatType(state.threatType())
                .setStatus(status)
                .setSeverity(state.severity())
                .setMetric(state.metric())
                .setObservedValue(value)
                .setThreshold(threshold)
                .setWindow(window)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setStartsAt(Instant.ofEpochMilli(state.startsAt()))
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .setVersion(state.version())
                .setEscalationLevel(state.escalationLevel())
                .setReason(reason)
                .build();
    }

    /** A figure as people write it: {@code 3}, not {@code 3.0}; {@code 12.75} as is. */
    static String number(final double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
