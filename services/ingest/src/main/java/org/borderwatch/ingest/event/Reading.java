package org.borderwatch.ingest.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;

/**
 * What {@link EventReader} made of one JSON event: the event when every rule holds, otherwise the broken rules.
 * {@code eventId}, {@code agencyId} and {@code region} are the raw strings as sent (when they are strings), so a
 * rejection can still name the event and authorization can be checked before validation is reported.
 */
public record Reading(Event<?> event, List<Violation> violations, String eventId, String agencyId, String region) {

    public Reading {
        violations = List.copyOf(violations);
    }

    public boolean valid() {
        return event != null;
    }

    /**
     * What {@code principal} may not publish here, each a 403: another agency's event ({@code agency-mismatch}), or
     * a region outside the credential's regions ({@code outside-credential-regions}). Empty when it may.
     */
    public List<Violation> forbidden(final BorderwatchPrincipal principal) {
        final List<Violation> forbidden = new ArrayList<>(2);
        agencyMismatch(principal).ifPresent(forbidden::add);
        principal.regionViolation("region", region).ifPresent(forbidden::add);
        return forbidden;
    }

    /** Agencies publish only their own events, admins any. */
    private Optional<Violation> agencyMismatch(final BorderwatchPrincipal principal) {
        if (agencyId == null || principal.actsFor(agencyId)) {
            return Optional.empty();
        }
        return Optional.of(new Violation("agencyId", Rules.AGENCY_MISMATCH, "credential '" + principal.name()
                + "' publishes for agency '" + principal.agencyId() + "' only, not for '"
                + JsonFields.echo(agencyId) + "'"));
    }
}
