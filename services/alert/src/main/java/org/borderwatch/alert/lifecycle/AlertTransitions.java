package org.borderwatch.alert.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.borderwatch.avro.Acknowledgement;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertChangeKind;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.AlertNote;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.ManualResolution;

/**
 * The alert state machine, as pure functions of (current state, input). An alert fires once per episode, escalates
 * only when its severity rises, is acknowledged at most once per episode, and resolves once (by its breach or by
 * hand); notes and re-notifications add a record without changing the alert. Every other input only updates the
 * stored state ({@link Step#state()}) without a change on the log.
 */
public final class AlertTransitions {

    /**
     * The outcome of one input.
     *
     * @param state   what to store for the alert (null: nothing to store)
     * @param changed whether {@code state} is a new change to append to {@code border.alerts.v1}
     */
    public record Step(Alert state, boolean changed) {

        static Step none(final Alert state) {
            return new Step(state, false);
        }

        static Step change(final Alert state) {
            return new Step(state, true);
        }

        public Optional<Alert> published() {
            return changed ? Optional.of(state) : Optional.empty();
        }
    }

    private AlertTransitions() {
    }

    public static Step onBreach(final Alert current, final Breach breach) {
        if (current != null && breach.getVersion() <= current.getBreachVersion()) {
            return Step.none(current); // a replayed or reordered breach
        }
        final boolean firing = current != null && current.getStatus() == AlertStatus.FIRING;
        if (breach.getStatus() == BreachStatus.RESOLVED) {
            if (!firing) {
                return current == null ? Step.none(null) : Step.none(withBreachVersion(current, breach));
            }
            return Step.change(next(current, AlertChange.RESOLVED, breach.getUpdatedAt())
                    .setStatus(AlertStatus.RESOLVED)
                    .setObservedValue(breach.getObservedValue())
                    .setEndsAt(breach.getUpdatedAt())
                    .setBreachVersion(breach.getVersion())
                    .build());
        }
        if (!firing) {
            if (resolvedByHandInThisEpisode(current, breach)) {
                return Step.none(withBreachVersion(current, breach));
            }
            return Step.change(Alert.newBuilder()
                    .setAlertId(breach.getBreachId())
                    .setRuleId(breach.getRuleId())
                    .setRegion(breach.getRegion())
                    .setThreatType(breach.getThreatType())
                    .setStatus(AlertStatus.FIRING)
                    .setChange(AlertChange.FIRED)
                    .setSeverity(breach.getSeverity())
                    .setMetric(breach.getMetric())
                    .setObservedValue(breach.getObservedValue())
                    .setThreshold(breach.getThreshold())
                    .setWindow(breach.getWindow())
                    .setStartsAt(breach.getStartsAt())
                    .setUpdatedAt(breach.getUpdatedAt())
                    .setEndsAt(null)
                    .setVersion(current == null ? 1 : current.getVersion() + 1)
                    .setEscalationLevel(0)
                    .setAcknowledgement(null)
                    .setBreachVersion(breach.getVersion())
                    .setKind(AlertChangeKind.STATE)
                    .setNote(null)
                    .setManualResolution(null)
                    .setRenotified(List.of())
                    .build());
        }
        if (breach.getSeverity().ordinal() > current.getSeverity().ordinal()) {
            return Step.change(next(current, AlertChange.ESCALATED, breach.getUpdatedAt())
                    .setSeverity(breach.getSeverity())
                    .setObservedValue(breach.getObservedValue())
                    .setThreshold(breach.getThreshold())
                    .setEscalationLevel(current.getEscalationLevel() + 1)
                    .setBreachVersion(breach.getVersion())
                    .build());
        }
        return Step.none(withBreachVersion(current, breach));
    }

    public static Step onCommand(final Alert current, final AlertCommand command) {
        if (current == null) {
            return Step.none(null);
        }
        return switch (command.getType()) {
            case ACKNOWLEDGE -> acknowledge(current, command);
            case NOTE -> note(current, command);
            case RESOLVE -> resolve(current, command);
            // A command type a newer writer added: nothing this version knows how to apply.
            case UNKNOWN -> Step.none(current);
        };
    }

    /**
     * Sends the alert again to {@code subscriptions} (never empty): a record that changes nothing but the version.
     * Only for an alert that {@link #isRenotifiable}.
     */
    public static Step renotify(final Alert current, final List<String> subscriptions, final Instant at) {
        return Step.change(Alert.newBuilder(current)
                .setKind(AlertChangeKind.RENOTIFICATION)
                .setRenotified(List.copyOf(subscriptions))
                .setNote(null)
                .setUpdatedAt(at)
                .setVersion(current.getVersion() + 1)
                .build());
    }

    /** Firing and not acknowledged: the only state in which an alert is sent again. */
    public static boolean isRenotifiable(final Alert alert) {
        return alert != null && alert.getStatus() == AlertStatus.FIRING && alert.getAcknowledgement() == null;
    }

    /** Whether {@code change} is a state change that (re)starts the clock of every subscription's re-notification. */
    public static boolean notifiesEveryone(final Alert change) {
        return change.getKind() == AlertChangeKind.STATE
                && (change.getChange() == AlertChange.FIRED || change.getChange() == AlertChange.ESCALATED);
    }

    private static Step acknowledge(final Alert current, final AlertCommand command) {
        if (current.getStatus() != AlertStatus.FIRING || current.getAcknowledgement() != null) {
            return Step.none(current);
        }
        return Step.change(next(current, AlertChange.ACKNOWLEDGED, command.getAt())
                .setAcknowledgement(new Acknowledgement(command.getBy(), command.getAt(), command.getComment()))
                .build());
    }

    /** A note on an alert in any state: the audit trail takes remarks after a resolve too. */
    private static Step note(final Alert current, final AlertCommand command) {
        if (command.getComment() == null || command.getComment().isBlank()) {
            return Step.none(current);
        }
        return Step.change(Alert.newBuilder(current)
                .setKind(AlertChangeKind.NOTE)
                .setNote(new AlertNote(command.getBy(), command.getAt(), command.getComment()))
                .setRenotified(List.of())
                .setUpdatedAt(command.getAt())
                .setVersion(current.getVersion() + 1)
                .build());
    }

    private static Step resolve(final Alert current, final AlertCommand command) {
        if (current.getStatus() != AlertStatus.FIRING) {
            return Step.none(current);
        }
        final String reason = command.getComment() == null ? "" : command.getComment();
        return Step.change(next(current, AlertChange.RESOLVED, command.getAt())
                .setStatus(AlertStatus.RESOLVED)
                .setEndsAt(command.getAt())
                .setManualResolution(new ManualResolution(command.getBy(), command.getAt(), reason))
                .build());
    }

    /**
     * After a manual resolve the alert stays resolved for the rest of its breach's episode (same {@code startsAt}):
     * the operator has dealt with it. Only a breach more severe than the alert was when resolved fires a new episode,
     * so a worse situation is never hidden by an earlier manual resolve.
     */
    private static boolean resolvedByHandInThisEpisode(final Alert current, final Breach breach) {
        return current != null && current.getManualResolution() != null
                && current.getStartsAt().equals(breach.getStartsAt())
                && breach.getSeverity().ordinal() <= current.getSeverity().ordinal();
    }

    /** The next state change of {@code current}: the per-record fields of notes and re-notifications cleared. */
    private static Alert.Builder next(final Alert current, final AlertChange change, final Instant at) {
        return Alert.newBuilder(current)
                .setChange(change)
                .setKind(AlertChangeKind.STATE)
                .setNote(null)
                .setRenotified(List.of())
                .setUpdatedAt(at)
                .setVersion(current.getVersion() + 1);
    }

    private static Alert withBreachVersion(final Alert current, final Breach breach) {
        return Alert.newBuilder(current).setBreachVersion(breach.getVersion()).build();
    }
}
