package org.borderwatch.aggregator.window;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.state.BinarySerde;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.avro.ThreatType;

/**
 * The figures of one base bucket (an hour or a day of one region or country and threat type), and of any window
 * summed from buckets. Every figure merges associatively (sums, maxima, a set union), so a window is the merge of
 * its buckets in any order. Agency ids are kept, not counted, so distinct agencies stay distinct across buckets.
 *
 * <p>Mutable for cheap accumulation; an instance read from a store is never shared.
 */
public final class Bucket {

    public static final Serde SERDE = new Serde();

    private static final long NO_EVENT = Long.MIN_VALUE;

    private long eventCount;
    private double seizureKg;
    private final EnumMap<DrugType, Double> kgByDrug = new EnumMap<>(DrugType.class);
    private double severityScore;
    private Severity maxSeverity;
    /**
     * A hash set: adding a report's agency (nearly always one already in the bucket) is a hash lookup, where a sorted
     * set compared the id with several others (ids share long prefixes) on every report. Sorted only when written.
     */
    private final Set<String> agencies = new HashSet<>(4);
    private long lastEventAt = NO_EVENT;

    public void add(final Report report) {
        eventCount++;
        if (report.drugType() != null) {
            seizureKg += report.quantityKg();
            kgByDrug.merge(report.drugType(), report.quantityKg(), Double::sum);
        }
        severityScore += SeverityScore.of(report.severity(), report.confidence());
        maxSeverity = max(maxSeverity, report.severity());
        agencies.add(report.agencyId());
        lastEventAt = Math.max(lastEventAt, report.occurredAt());
    }

    /** What one report adds to {@code metric}: the amounts {@link #add} adds. */
    public static double contribution(final Report report, final Metric metric) {
        return switch (metric) {
            case EVENT_COUNT -> 1;
            case SEIZURE_KG -> report.drugType() != null ? report.quantityKg() : 0;
            case SEVERITY_SCORE -> SeverityScore.of(report.severity(), report.confidence());
        };
    }

    public Bucket merge(final Bucket other) {
        eventCount += other.eventCount;
        seizureKg += other.seizureKg;
        other.kgByDrug.forEach((drug, kg) -> kgByDrug.merge(drug, kg, Double::sum));
        severityScore += other.severityScore;
        maxSeverity = max(maxSeverity, other.maxSeverity);
        agencies.addAll(other.agencies);
        lastEventAt = Math.max(lastEventAt, other.lastEventAt);
        return this;
    }

    /** A new bucket holding the merge of {@code buckets}; they are left untouched. */
    public static Bucket sum(final Collection<Bucket> buckets) {
        final Bucket sum = new Bucket();
        buckets.forEach(sum::merge);
        return sum;
    }

    public boolean isEmpty() {
        return eventCount == 0;
    }

    public long eventCount() {
        return eventCount;
    }

    public double seizureKg() {
        return seizureKg;
    }

    public double severityScore() {
        return severityScore;
    }

    public Severity maxSeverity() {
        return maxSeverity;
    }

    public Set<String> agencies() {
        return Collections.unmodifiableSet(agencies);
    }

    /** The latest occurredAt in the bucket, or {@code fallback} when it holds no event. */
    public long lastEventAt(final long fallback) {
        return lastEventAt == NO_EVENT ? fallback : lastEventAt;
    }

    public double metric(final Metric metric) {
        return switch (metric) {
            case EVENT_COUNT -> eventCount;
            case SEIZURE_KG -> seizureKg;
            case SEVERITY_SCORE -> severityScore;
        };
    }

    public ThreatAggregate toAggregate(final String code, final ThreatType threatType, final WindowSpec window,
                                       final long windowStart) {
        final Map<String, Double> byDrug = new LinkedHashMap<>();
        kgByDrug.forEach((drug, kg) -> byDrug.put(drug.name(), kg));
        return ThreatAggregate.newBuilder()
                .setRegion(code)
                .setThreatType(threatType)
                .setWindow(window.name())
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowStart + window.sizeMs()))
                .setEventCount(eventCount)
                .setSeizureKg(seizureKg)
                .setSeizureKgByDrug(byDrug)
                .setSeverityScore(severityScore)
                .setMaxSeverity(maxSeverity)
                .setDistinctAgencies(agencies.size())
                .setLastEventAt(lastEventAt == NO_EVENT ? null : Instant.ofEpochMilli(lastEventAt))
                .build();
    }

    private static Severity max(final Severity a, final Severity b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "Bucket{events=" + eventCount + ", kg=" + seizureKg + ", score=" + severityScore + ", max="
                + maxSeverity + ", agencies=" + new TreeSet<>(agencies) + "}";
    }

    /** Version 1: counts and sums, max severity, last event time, kg per drug, agency ids. */
    public static final class Serde extends BinarySerde<Bucket> {

        private Serde() {
            super(1);
        }

        @Override
        protected void write(final DataOutput out, final Bucket bucket) throws IOException {
            out.writeLong(bucket.eventCount);
            out.writeDouble(bucket.seizureKg);
            out.writeDouble(bucket.severityScore);
            writeEnum(out, bucket.maxSeverity);
            out.writeLong(bucket.lastEventAt);
            out.writeShort(bucket.kgByDrug.size());
            for (final Map.Entry<DrugType, Double> entry : bucket.kgByDrug.entrySet()) {
                writeEnum(out, entry.getKey());
                out.writeDouble(entry.getValue());
            }
            // Sorted, as version 1 has always been written: the same bucket gives the same bytes.
            final String[] agencies = bucket.agencies.toArray(new String[0]);
            Arrays.sort(agencies);
            out.writeInt(agencies.length);
            for (final String agency : agencies) {
                out.writeUTF(agency);
            }
        }

        @Override
        protected Bucket read(final DataInput in, final int writtenVersion) throws IOException {
            final Bucket bucket = new Bucket();
            bucket.eventCount = in.readLong();
            bucket.seizureKg = in.readDouble();
            bucket.severityScore = in.readDouble();
            bucket.maxSeverity = readEnum(in, Severity.class);
            bucket.lastEventAt = in.readLong();
            final int drugs = in.readUnsignedShort();
            for (int i = 0; i < drugs; i++) {
                bucket.kgByDrug.put(readEnum(in, DrugType.class), in.readDouble());
            }
            final int agencies = in.readInt();
            for (int i = 0; i < agencies; i++) {
                bucket.agencies.add(in.readUTF());
            }
            return bucket;
        }
    }
}
