package org.borderwatch.ingest.event;

import java.util.List;
import java.util.Optional;

import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;

/**
 * What {@link EventReader} made of one JSON event: the event when every rule holds, otherwise the broken rules.
 * {@code eventId} and {@code agencyId} are the raw strings as sent (when they are strings), so a rejection can still
 * name the event and authorization can be checked before validation is reported.
 */
public record Reading(Event<?> event, List<Violation> violations, String eventId, String agencyId) {

    public Reading {
        violations = List.copyOf(violations);
    }

    public boolean valid() {
        return event != null;
    }

    /**
     * The {@code agency-mismatch} violation when {@code principal} may not publish for the event's agency; agencies
     * publish only their own events, admins any.
     */
    public Optional<Violation> agencyMismatch(final BorderwatchPrincipal principal) {
        if (agencyId == null || principal.actsFor(agencyId)) {
            return Optional.empty();
        }
        return Optional.of(new Violation("agencyId", Rules.AGENCY_MISMATCH, "credential '" + principal.name()
                + "' publishes for agency '" + principal.agencyId() + "' only, not for '"
                + JsonFields.echo(agencyId) + "'"));
    }
}
