package org.borderwatch.aggregator.rules;

/** What an aggregate is about: an ISO 3166-2 region ({@code TJ-KT}) or an ISO 3166-1 country roll-up ({@code TJ}). */
public enum Level {
    REGION,
    COUNTRY;

    /**
     * The region pattern a principal must be allowed to see to see the aggregate of {@code code}: the region
     * itself, or for a country roll-up, which sums all of its regions, every region of the country ({@code TJ-*}).
     */
    public String regionPattern(final String code) {
        return this == REGION ? code : code + "-*";
    }
}
