package org.borderwatch.alert.silence;

import java.util.List;
import java.util.function.Predicate;

import jakarta.inject.Singleton;
import org.borderwatch.alert.log.AlertLog;
import org.borderwatch.alert.log.LoggedAlert;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertChangeKind;

/**
 * Whether a recipient is notified of an alert change: the change is of a kind the recipient gets, passes the
 * recipient's filter, and no silence that matches the alert was in force when the change happened
 * ({@code updatedAt}). A resolve is still notified during a silence when the recipient was notified of an earlier
 * change of the same episode, or when the episode began before the changes this instance holds, so nobody is left
 * with an alert that never ends. Decided by the change's own time, so
 * a replay after a restart decides the same.
 *
 * <p>Kinds: state changes go to every recipient; a re-notification only to the subscriptions it names; an operator
 * note only to plain streams (the live board), not to subscriptions, which are for changes of the alert itself.
 */
@Singleton
public final class NotificationPolicy {

    private final SilenceStore silences;
    private final AlertLog log;

    public NotificationPolicy(final SilenceStore silences, final AlertLog log) {
        this.silences = silences;
        this.log = log;
    }

    /**
     * @param subscriptionId the recipient's subscription (webhook or SSE subscription); null for a plain stream
     */
    public boolean notifies(final Alert change, final Predicate<Alert> recipient, final String subscriptionId) {
        if (!sentTo(change, recipient, subscriptionId)) {
            return false;
        }
        if (!silenced(change)) {
            return true;
        }
        if (change.getKind() != AlertChangeKind.STATE || change.getChange() != AlertChange.RESOLVED) {
            return false;
        }
        // The tail only: this runs for every recipient of every change and must not wait for Kafka.
        final List<LoggedAlert> history = log.recentHistory(change.getAlertId());
        for (int i = history.size() - 1; i >= 0; i--) {
            final Alert earlier = history.get(i).alert();
            if (earlier.getVersion() >= change.getVersion()) {
                continue;
            }
            if (sentTo(earlier, recipient, subscriptionId) && !silenced(earlier)) {
                return true;
            }
            if (earlier.getKind() == AlertChangeKind.STATE && earlier.getChange() == AlertChange.FIRED) {
                return false; // the start of this episode
            }
        }
        // The episode began before the tail: whether the recipient saw it is not known here. Send the resolve:
        // a resolve too many is harmless, an alert that never ends is not.
        return history.isEmpty() || history.get(0).alert().getVersion() > 1;
    }

    private static boolean sentTo(final Alert change, final Predicate<Alert> recipient, final String subscriptionId) {
        final boolean kindGoesThere = switch (change.getKind()) {
            case STATE -> true;
            case RENOTIFICATION -> subscriptionId != null && change.getRenotified().contains(subscriptionId);
            case NOTE -> subscriptionId == null;
            case UNKNOWN -> false;
        };
        return kindGoesThere && recipient.test(change);
    }

    private boolean silenced(final Alert change) {
        return silences.silenced(change, change.getUpdatedAt());
    }
}
