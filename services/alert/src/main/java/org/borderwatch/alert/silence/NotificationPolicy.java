package org.borderwatch.alert.silence;

import java.util.List;
import java.util.function.Predicate;

import jakarta.inject.Singleton;
import org.borderwatch.alert.log.AlertLog;
import org.borderwatch.alert.log.LoggedAlert;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;

/**
 * Whether a recipient is notified of an alert change: the change passes the recipient's filter and no silence that
 * matches the alert was in force when the change happened ({@code updatedAt}). A resolve is still notified during a
 * silence when the recipient was notified of an earlier change of the same episode, so nobody is left with an
 * alert that never ends. Decided by the change's own time, so a replay after a restart decides the same.
 */
@Singleton
public final class NotificationPolicy {

    private final SilenceStore silences;
    private final AlertLog log;

    public NotificationPolicy(final SilenceStore silences, final AlertLog log) {
        this.silences = silences;
        this.log = log;
    }

    public boolean notifies(final Alert change, final Predicate<Alert> recipient) {
        if (!recipient.test(change)) {
            return false;
        }
        if (!silenced(change)) {
            return true;
        }
        if (change.getChange() != AlertChange.RESOLVED) {
            return false;
        }
        final List<LoggedAlert> history = log.history(change.getAlertId());
        for (int i = history.size() - 1; i >= 0; i--) {
            final Alert earlier = history.get(i).alert();
            if (earlier.getVersion() >= change.getVersion()) {
                continue;
            }
            if (recipient.test(earlier) && !silenced(earlier)) {
                return true;
            }
            if (earlier.getChange() == AlertChange.FIRED) {
                return false; // the start of this episode
            }
        }
        return false;
    }

    private boolean silenced(final Alert change) {
        return silences.silenced(change, change.getUpdatedAt());
    }
}
