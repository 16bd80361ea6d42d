package org.borderwatch.aggregator.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.inject.Singleton;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.borderwatch.aggregator.query.QueryParameters.AggregatesQuery;
import org.borderwatch.aggregator.query.QueryParameters.TopQuery;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.BucketKey;
import org.borderwatch.aggregator.window.Figure;
import org.borderwatch.aggregator.window.WindowFigures;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.service.security.BorderwatchPrincipal;

/**
 * Answers aggregate queries from this instance's own active stores, summing buckets into windows with the
 * topology's {@link WindowFigures}, so a queried window has exactly the figures the topic carries for it.
 */
@Singleton
public final class LocalAggregates {

    /** Highest value first; equal values by code, so every instance and every run orders alike. */
    static final Comparator<TopEntry> ORDER = Comparator.comparingDouble(TopEntry::value).reversed()
            .thenComparing(TopEntry::region);

    private final QueryableState state;

    public LocalAggregates(final QueryableState state) {
        this.state = state;
    }

    /** Every non-empty window of the query's code with a start in [from, to), from {@code partition}'s stores. */
    public AggregatesAnswer aggregates(final AggregatesQuery query, final int partition) {
        final List<Map<String, Object>> aggregates = new ArrayList<>();
        try {
            final WindowFigures figures = new WindowFigures(state.buckets(query.level(), partition),
                    query.windows());
            for (final WindowSpec window : query.windows()) {
                for (final ThreatType type : query.threatTypes()) {
                    for (final ThreatAggregate aggregate : figures.starting(BucketKey.of(query.code(), type), window,
                            query.from().toEpochMilli(), query.to().toEpochMilli() - 1)) {
                        aggregates.add(AvroMaps.toMap(aggregate));
                    }
                }
            }
        } catch (final InvalidStateStoreException e) {
            throw state.rebalancing("partition " + partition + " moved while it was read");
        }
        return new AggregatesAnswer(query.code(), query.level().name().toLowerCase(Locale.ROOT),
                query.from().toString(), query.to().toString(), endpoint(state.self()), aggregates);
    }

    /**
     * The top entries among the codes of {@code partitions} that {@code principal} may see: the current window of
     * each at the query's time, summed over threat types unless one is named. Each code lives in exactly one
     * partition, so the global top is among the union of every partition's top.
     */
    public TopAnswer top(final TopQuery query, final BorderwatchPrincipal principal, final Set<Integer> partitions) {
        final long at = query.at().toEpochMilli();
        final Map<String, Bucket> byCode = new TreeMap<>();
        try {
            for (final int partition : partitions) {
                final WindowFigures figures = new WindowFigures(state.buckets(query.level(), partition),
                        List.of(query.window()));
                for (final String key : figures.keysInCurrentWindow(query.window(), at)) {
                    final BucketKey bucketKey = BucketKey.parse(key);
                    if ((query.threatType() != null && query.threatType() != bucketKey.threatType())
                            || !QueryParameters.mayAccess(principal, query.level(), bucketKey.code())) {
                        continue;
                    }
                    final Figure figure = figures.current(key, query.window(), at);
                    byCode.computeIfAbsent(bucketKey.code(), code -> new Bucket()).merge(figure.bucket());
                }
            }
        } catch (final InvalidStateStoreException e) {
            throw state.rebalancing("a partition moved while it was read");
        }
        final long start = query.window().currentStart(at);
        final List<TopEntry> entries = byCode.entrySet().stream()
                .map(entry -> entry(entry.getKey(), query, entry.getValue(), start))
                .filter(entry -> entry.value() > 0)
                .sorted(ORDER)
                .limit(query.limit())
                .toList();
        return new TopAnswer(query.level().name().toLowerCase(Locale.ROOT), query.metric().name(),
                query.window().name(), query.threatType() == null ? null : query.threatType().name(),
                query.at().toString(), query.limit(), entries, List.copyOf(partitions),
                List.of(endpoint(state.self())));
    }

    static String endpoint(final HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private static TopEntry entry(final String code, final TopQuery query, final Bucket bucket, final long start) {
        final long lastEvent = bucket.lastEventAt(Long.MIN_VALUE);
        return new TopEntry(code, query.threatType() == null ? null : query.threatType().name(),
                bucket.metric(query.metric()), Instant.ofEpochMilli(start).toString(),
                Instant.ofEpochMilli(start + query.window().sizeMs()).toString(), bucket.eventCount(),
                bucket.seizureKg(), bucket.severityScore(),
                bucket.maxSeverity() == null ? null : bucket.maxSeverity().name(), bucket.agencies().size(),
                lastEvent == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastEvent).toString());
    }
}
