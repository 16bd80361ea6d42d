package org.borderwatch.service.security;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.micronaut.security.authentication.Authentication;
import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.Violation;

/**
 * Who a request acts as: the credential's name, its role, the agency it speaks for (agencies only) and the regions
 * it may see, as ISO 3166-2 codes, country prefixes such as {@code TJ-*}, or {@code *} for all.
 */
public record BorderwatchPrincipal(String name, Role role, String agencyId, List<String> regions) {

    static final String ATTRIBUTE_ROLE = "role";
    static final String ATTRIBUTE_AGENCY_ID = "agencyId";
    static final String ATTRIBUTE_REGIONS = "regions";

    public BorderwatchPrincipal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        regions = List.copyOf(regions);
        if (role == Role.AGENCY && agencyId == null) {
            throw new IllegalArgumentException("an agency principal needs an agency id");
        }
    }

    /** The principal carried by an authentication this module's fetcher created. */
    public static BorderwatchPrincipal of(final Authentication authentication) {
        final Map<String, Object> attributes = authentication.getAttributes();
        final Role role = Role.fromId(String.valueOf(attributes.get(ATTRIBUTE_ROLE)))
                .orElseThrow(() -> new IllegalArgumentException("authentication " + authentication.getName()
                        + " carries no borderwatch role"));
        final Object regions = attributes.get(ATTRIBUTE_REGIONS);
        return new BorderwatchPrincipal(authentication.getName(), role,
                (String) attributes.get(ATTRIBUTE_AGENCY_ID),
                regions instanceof Collection<?> list ? list.stream().map(String::valueOf).toList() : List.of());
    }

    public Authentication toAuthentication() {
        final Map<String, Object> attributes = new HashMap<>();
        attributes.put(ATTRIBUTE_ROLE, role.id());
        attributes.put(ATTRIBUTE_REGIONS, regions);
        if (agencyId != null) {
            attributes.put(ATTRIBUTE_AGENCY_ID, agencyId);
        }
        return Authentication.build(name, List.of(role.id()), attributes);
    }

    /** Admins act for every agency; everyone else only for the agency id their credential names. */
    public boolean actsFor(final String agency) {
        return role == Role.ADMIN || (agencyId != null && agencyId.equals(agency));
    }

    /** Whether {@code regionCode} falls under one of this principal's region patterns. */
    public boolean mayAccessRegion(final String regionCode) {
        return regions.stream().anyMatch(pattern -> RegionPatterns.matches(pattern, regionCode));
    }

    /**
     * The {@code outside-credential-regions} violation of {@code field} when {@code regionCode} (as a client sent
     * it) is not within this principal's regions: a credential publishes only what it may see, admins included.
     */
    public Optional<Violation> regionViolation(final String field, final String regionCode) {
        if (regionCode == null || mayAccessRegion(regionCode)) {
            return Optional.empty();
        }
        return Optional.of(new Violation(field, RegionPatterns.OUTSIDE_CREDENTIAL_REGIONS, "credential '" + name
                + "' publishes only for its regions " + regions + ", not for '" + JsonFields.echo(regionCode) + "'"));
    }
}
