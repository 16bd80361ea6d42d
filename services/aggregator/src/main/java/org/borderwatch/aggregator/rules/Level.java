package org.borderwatch.aggregator.rules;

/** What an aggregate is about: an ISO 3166-2 region ({@code TJ-KT}) or an ISO 3166-1 country roll-up ({@code TJ}). */
public enum Level {
    REGION,
    COUNTRY
}
