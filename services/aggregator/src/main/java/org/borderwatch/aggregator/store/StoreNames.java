package org.borderwatch.aggregator.store;

import java.util.List;

import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.rules.Level;
import org.borderwatch.aggregator.window.Granularity;

/**
 * The name of every state store (each also names its changelog, {@code <application.id>-<store>-changelog}) and of
 * the one repartition topic, and which granularities are stored. Names are state: renaming one loses it on a
 * rolling upgrade, so they live here once and {@code AggregatorTopologyTest} pins them.
 */
public final class StoreNames {

    /** Global store of the rules, key ruleId (for interactive queries: a timestamped key-value store). */
    public static final String RULES_STORE = "alert-rules";
    /**
     * Key-value store of the counted eventIds in batches, one record per commit and day of occurredAt
     * ({@link EventIdStore}); kept for the largest window + grace, by day.
     */
    public static final String EVENT_ID_BATCHES_STORE = "event-id-batches";
    /**
     * Window store eventId → occurredAt of releases before {@link #EVENT_ID_BATCHES_STORE}, one record per event.
     * Read (never written) at initialisation, so a rolling upgrade keeps the dedup of what earlier releases
     * counted; its retention (largest window + grace) empties it, after which a later release can drop it.
     */
    public static final String EVENT_IDS_STORE = "event-ids";
    /** Window stores {@code region|threatType} → bucket, timestamped by bucket start. */
    public static final String REGION_HOURLY_STORE = "region-hourly-buckets";
    public static final String REGION_DAILY_STORE = "region-daily-buckets";
    /** Only in the topology when a configured window is not whole hours (e.g. {@code PT1M}, {@code PT10M/PT1M}). */
    public static final String REGION_MINUTELY_STORE = "region-minutely-buckets";
    /** Key-value store {@code region|threatType} → the buckets changed since the last emit. */
    public static final String REGION_PENDING_STORE = "region-pending-emits";
    /** Key-value store breachId → breach state, for region rules. */
    public static final String REGION_BREACHES_STORE = "region-breaches";
    /** Window stores {@code country|threatType|region} → that region's latest bucket snapshot. */
    public static final String COUNTRY_HOURLY_STORE = "country-hourly-buckets";
    public static final String COUNTRY_DAILY_STORE = "country-daily-buckets";
    /** Only in the topology when a configured window is not whole hours. */
    public static final String COUNTRY_MINUTELY_STORE = "country-minutely-buckets";
    public static final String COUNTRY_PENDING_STORE = "country-pending-emits";
    public static final String COUNTRY_BREACHES_STORE = "country-breaches";
    /** Repartition topic {@code <application.id>-country-snapshots-repartition}. */
    public static final String COUNTRY_SNAPSHOTS = "country-snapshots";

    private StoreNames() {
    }

    /** The bucket store of {@code level} and {@code granularity}. */
    public static String buckets(final Level level, final Granularity granularity) {
        return level == Level.REGION
                ? switch (granularity) {
                    case MINUTELY -> REGION_MINUTELY_STORE;
                    case HOURLY -> REGION_HOURLY_STORE;
                    case DAILY -> REGION_DAILY_STORE;
                }
                : switch (granularity) {
                    case MINUTELY -> COUNTRY_MINUTELY_STORE;
                    case HOURLY -> COUNTRY_HOURLY_STORE;
                    case DAILY -> COUNTRY_DAILY_STORE;
                };
    }

    /** The pending-emit store of {@code level}. */
    public static String pending(final Level level) {
        return level == Level.REGION ? REGION_PENDING_STORE : COUNTRY_PENDING_STORE;
    }

    /** The breach-state store of {@code level}. */
    public static String breaches(final Level level) {
        return level == Level.REGION ? REGION_BREACHES_STORE : COUNTRY_BREACHES_STORE;
    }

    /**
     * The bucket granularities whose stores exist in the topology built for {@code config}: hourly and daily always
     * (so the default topology's stores, and their changelogs, never change), minutely only when a configured window
     * needs it.
     */
    public static List<Granularity> storedGranularities(final AggregatorConfig config) {
        return config.uses(Granularity.MINUTELY)
                ? List.of(Granularity.HOURLY, Granularity.DAILY, Granularity.MINUTELY)
                : List.of(Granularity.HOURLY, Granularity.DAILY);
    }
}
