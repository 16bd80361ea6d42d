package org.borderwatch.aggregator.window;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.function.ToLongFunction;

import org.borderwatch.avro.ThreatAggregate;

/**
 * Computes window figures from base buckets: a window is the merge of the buckets it covers (24 hourly buckets for
 * {@code PT24H}, 7 daily buckets for {@code P7D}). This is what keeps the cost per event at one update per
 * granularity instead of one per overlapping window; the summing happens once per emit, not once per event.
 */
public final class WindowFigures {

    private final BucketSource source;
    private final List<WindowSpec> windows;
    private final Set<Granularity> granularities;

    public WindowFigures(final BucketSource source, final List<WindowSpec> windows) {
        this.source = source;
        this.windows = List.copyOf(windows);
        this.granularities = EnumSet.noneOf(Granularity.class);
        windows.forEach(window -> granularities.add(window.granularity()));
    }

    /** Every non-empty window of {@code key} that contains one of the changed buckets, as output records. */
    public List<ThreatAggregate> changed(final String key, final DirtyRange range) {
        final List<ThreatAggregate> aggregates = new ArrayList<>();
        for (final Granularity granularity : granularities) {
            if (range.has(granularity)) {
                final long lo = range.from(granularity);
                final long hi = range.to(granularity);
                aggregates.addAll(windows(key, windows.stream().filter(w -> w.granularity() == granularity).toList(),
                        spec -> spec.firstStartContaining(lo), spec -> spec.lastStartContaining(hi)));
            }
        }
        return aggregates;
    }

    /**
     * Every non-empty window of {@code key} and {@code spec} whose start lies in [fromStart, toStart], in start
     * order: the interactive query of a time range, computed exactly like the emitted windows.
     */
    public List<ThreatAggregate> starting(final String key, final WindowSpec spec, final long fromStart,
                                          final long toStart) {
        // The first window start at or after fromStart: starts are multiples of the advance.
        final long first = Math.floorDiv(fromStart + spec.advanceMs() - 1, spec.advanceMs()) * spec.advanceMs();
        return windows(key, List.of(spec), ignored -> first, ignored -> toStart);
    }

    /** The non-empty windows of specs of one granularity, from {@code first(spec)} to {@code last(spec)}. */
    private List<ThreatAggregate> windows(final String key, final List<WindowSpec> specs,
                                          final ToLongFunction<WindowSpec> first,
                                          final ToLongFunction<WindowSpec> last) {
        final BucketKey bucketKey = BucketKey.parse(key);
        final List<ThreatAggregate> aggregates = new ArrayList<>();
        final Granularity granularity = specs.get(0).granularity();
        // One range fetch covers every window of every spec at this granularity.
        final long fetchFrom = specs.stream().mapToLong(first).min().orElseThrow();
        final long fetchTo = specs.stream()
                .mapToLong(w -> last.applyAsLong(w) + w.sizeMs() - granularity.millis()).max().orElseThrow();
        if (fetchTo < fetchFrom) {
            return aggregates;
        }
        final NavigableMap<Long, Bucket> buckets = source.fetch(granularity, key, fetchFrom, fetchTo);
        for (final WindowSpec spec : specs) {
            for (long start = first.applyAsLong(spec); start <= last.applyAsLong(spec); start += spec.advanceMs()) {
                final Bucket sum = Bucket.sum(buckets.subMap(start, true, start + spec.sizeMs(), false).values());
                if (!sum.isEmpty()) {
                    aggregates.add(sum.toAggregate(bucketKey.code(), bucketKey.threatType(), spec, start));
                }
            }
        }
        return aggregates;
    }

    /** The figures of the current window of {@code key} at {@code time} (see {@link WindowSpec#currentStart}). */
    public Figure current(final String key, final WindowSpec window, final long time) {
        final long start = window.currentStart(time);
        final long end = start + window.sizeMs();
        final NavigableMap<Long, Bucket> buckets =
                source.fetch(window.granularity(), key, start, end - window.granularity().millis());
        return new Figure(window, start, end, Bucket.sum(buckets.values()));
    }

    /** The keys with data in the current window at {@code time}: the candidates for a newly added rule. */
    public Set<String> keysInCurrentWindow(final WindowSpec window, final long time) {
        final long start = window.currentStart(time);
        return source.keys(window.granularity(), start, start + window.sizeMs() - window.granularity().millis());
    }

    /** The buckets of {@code key} that changed, per the range: what a region ships to its country's roll-up. */
    public NavigableMap<Long, Bucket> changedBuckets(final String key, final Granularity granularity,
                                                     final DirtyRange range) {
        return source.fetch(granularity, key, range.from(granularity), range.to(granularity));
    }

    public Set<Granularity> granularities() {
        return granularities;
    }
}
