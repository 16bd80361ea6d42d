package org.borderwatch.alert.lifecycle;

import java.util.Optional;

import org.borderwatch.avro.Acknowledgement;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.AlertCommandType;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;

/**
 * The alert state machine, as pure functions of (current state, input). An alert fires once per episode, escalates
 * only when its severity rises, is acknowledged at most once per episode, and resolves once; every other input only
 * updates the stored state ({@link Step#state()}) without a change on the log.
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
            return Step.change(Alert.newBuilder(current)
                    .setStatus(AlertStatus.RESOLVED)
                    .setChange(AlertChange.RESOLVED)
                    .setObservedValue(breach.getObservedValue())
                    .setUpdatedAt(breach.getUpdatedAt())
                    .setEndsAt(breach.getUpdatedAt())
                    .setVersion(current.getVersion() + 1)
                    .setBreachVersion(breach.getVersion())
                    .build());
        }
        if (!firing) {
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
                    .build());
        }
        if (breach.getSeverity().ordinal() > current.getSeverity().ordinal()) {
            return Step.change(Alert.newBuilder(current)
                    .setChange(AlertChange.ESCALATED)
                    .setSeverity(breach.getSeverity())
                    .setObservedValue(breach.getObservedValue())
                    .setThreshold(breach.getThreshold())
                    .setUpdatedAt(breach.getUpdatedAt())
                    .setVersion(current.getVersion() + 1)
                    .setEscalationLevel(current.getEscalationLevel() + 1)
                    .setBreachVersion(breach.getVersion())
                    .build());
        }
        return Step.none(withBreachVersion(current, breach));
    }

    public static Step onCommand(final Alert current, final AlertCommand command) {
        if (command.getType() != AlertCommandType.ACKNOWLEDGE || current == null
                || current.getStatus() != AlertStatus.FIRING || current.getAcknowledgement() != null) {
            return Step.none(current);
        }
        return Step.change(Alert.newBuilder(current)
                .setChange(AlertChange.ACKNOWLEDGED)
                .setUpdatedAt(command.getAt())
                .setVersion(current.getVersion() + 1)
                .setAcknowledgement(new Acknowledgement(command.getBy(), command.getAt(), command.getComment()))
                .build());
    }

    private static Alert withBreachVersion(final Alert current, final Breach breach) {
        return Alert.newBuilder(current).setBreachVersion(breach.getVersion()).build();
    }
}
