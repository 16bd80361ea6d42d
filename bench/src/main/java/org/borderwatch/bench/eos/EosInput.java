package org.borderwatch.bench.eos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.bench.expected.ExpectedAggregates;
import org.borderwatch.bench.expected.Window;
import org.borderwatch.bench.kafka.InputPublisher;
import org.borderwatch.bench.workload.PublishedReport;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.bench.workload.ReportGenerator;
import org.borderwatch.schemas.Topics;

/**
 * The known input of one exactly-once run, in publish order, and what it must produce.
 *
 * <pre>
 * reports    occurredAt spread evenly over the two hours before the current hour (two PT1H windows), in order per
 *            partition, 12 regions of 3 countries, incidents and seizures
 * duplicates a share of the reports published again (same eventId, same bytes) 1 to 200 records later: retries
 * poison     3 records: bytes that are not Avro, an unknown schema fingerprint, a report under another region's key;
 *            with every poison kind 6 more: an empty value, a header without a body, a report cut in half, a
 *            seizure on the incidents topic, 64 KiB of random bytes, a null value (tombstone)
 * late       reports that occurred 7 h before the hour window, published last (grace is 6 h): never counted
 * </pre>
 *
 * The expected aggregates count every report once, and neither the duplicates, the late reports nor the poison.
 */
public final class EosInput {

    /** Three countries, four regions each: country roll-ups merge several tasks' regions. */
    static final List<Region> REGIONS = Region.CENTRAL_ASIA.stream().filter(region -> Set.of(
            "TJ-DU", "TJ-GB", "TJ-KT", "TJ-SU", "UZ-FA", "UZ-SA", "UZ-SU", "UZ-TK", "KG-B", "KG-C", "KG-J", "KG-O")
            .contains(region.code())).toList();
    private static final Duration SPAN = Duration.ofHours(2);
    private static final Duration LATE_BY = Duration.ofHours(7);
    private static final int MAX_RETRY_DISTANCE = 200;

    /** A record to publish: a report (original, retry or late) or a poison record. */
    public sealed interface Item permits Report, Poison {
    }

    public record Report(PublishedReport report) implements Item {
    }

    /** @param name what is wrong with it, for the result */
    public record Poison(String name, String topic, String key, byte[] value, long timestamp) implements Item {
    }

    private final List<Item> items;
    private final ExpectedAggregates expected;
    private final Set<UUID> lateIds;
    private final List<Poison> poison;
    private final int duplicates;

    private EosInput(final List<Item> items, final ExpectedAggregates expected, final Set<UUID> lateIds,
                     final List<Poison> poison, final int duplicates) {
        this.items = List.copyOf(items);
        this.expected = expected;
        this.lateIds = Set.copyOf(lateIds);
        this.poison = List.copyOf(poison);
        this.duplicates = duplicates;
    }

    /**
     * @param reports       distinct reports that count
     * @param duplicateRate share of them published a second time
     * @param lateReports   reports published beyond the grace period
     * @param now           wall-clock time of the run: every occurredAt lies before it
     * @param everyPoison   all nine kinds of poison record instead of three (the chaos suite's poison scenario)
     */
    public static EosInput generate(final int reports, final double duplicateRate, final int lateReports,
                                    final long seed, final List<Window> windows, final Instant now,
                                    final boolean everyPoison) {
        final Random random = new Random(seed);
        final ReportGenerator generator = new ReportGenerator(seed + 1, REGIONS);
        final ExpectedAggregates expected = new ExpectedAggregates(windows);
        final long from = now.truncatedTo(ChronoUnit.HOURS).minus(SPAN).toEpochMilli();
        final long nowMs = now.toEpochMilli();

        final List<PublishedReport> originals = new ArrayList<>(reports);
        for (int i = 0; i < reports; i++) {
            final long occurredAt = from + SPAN.toMillis() * i / reports;
            final PublishedReport report = generator.next(occurredAt,
                    Math.min(nowMs, occurredAt + random.nextInt(300_000)));
            originals.add(report);
            expected.count(report);
        }
        final List<List<PublishedReport>> retriesAfter = new ArrayList<>(reports);
        for (int i = 0; i < reports; i++) {
            retriesAfter.add(new ArrayList<>(0));
        }
        int duplicates = 0;
        for (int i = 0; i < reports; i++) {
            if (random.nextDouble() < duplicateRate) {
                retriesAfter.get(Math.min(reports - 1, i + 1 + random.nextInt(MAX_RETRY_DISTANCE)))
                        .add(originals.get(i));
                duplicates++;
            }
        }
        final List<Poison> poison = new ArrayList<>(poison(nowMs));
        if (everyPoison) {
            poison.addAll(morePoison(originals, random, nowMs));
        }
        final List<Item> items = new ArrayList<>();
        for (int i = 0; i < reports; i++) {
            items.add(new Report(originals.get(i)));
            retriesAfter.get(i).forEach(retry -> items.add(new Report(retry)));
            for (int p = 0; p < poison.size(); p++) {
                if (i == (long) reports * (p + 1) / (poison.size() + 1)) {
                    items.add(poison.get(p));
                }
            }
        }
        final Set<UUID> lateIds = new HashSet<>();
        for (int i = 0; i < lateReports; i++) {
            final PublishedReport late = generator.next(REGIONS.get(i % REGIONS.size()),
                    from - LATE_BY.toMillis() + i, nowMs);
            lateIds.add(late.eventId());
            items.add(new Report(late));
        }
        return new EosInput(items, expected, lateIds, poison, duplicates);
    }

    /** Publishes every item, spread evenly over {@code duration} so the aggregator is killed while it works. */
    public void publish(final InputPublisher publisher, final Duration duration) {
        final long start = System.nanoTime();
        final int slice = 50;
        for (int i = 0; i < items.size(); i++) {
            final Item item = items.get(i);
            if (item instanceof Report report) {
                publisher.send(report.report());
            } else if (item instanceof Poison bad) {
                publisher.sendRaw(bad.topic(), bad.key(), bad.value(), bad.timestamp());
            }
            if (i % slice == slice - 1) {
                // Pacing only: how fast the input arrives, not a wait for anything to happen.
                final long due = start + duration.toNanos() * (i + 1) / items.size();
                final long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    sleep(ahead);
                }
            }
        }
        publisher.flush();
    }

    public List<Item> items() {
        return items;
    }

    public ExpectedAggregates expected() {
        return expected;
    }

    public Set<UUID> lateIds() {
        return lateIds;
    }

    public List<Poison> poison() {
        return poison;
    }

    public int duplicates() {
        return duplicates;
    }

    private static List<Poison> poison(final long timestamp) {
        final byte[] unknownFingerprint = {(byte) 0xC3, 0x01, 0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xAB,
            (byte) 0xCD, (byte) 0xEF, 0x02, 0x04};
        final BorderIncident misplaced = BorderIncident.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes("misplaced".getBytes(StandardCharsets.UTF_8)))
                .setAgencyId("TJ-BORDER-GUARD")
                .setOccurredAt(Instant.ofEpochMilli(timestamp - 60_000))
                .setReportedAt(Instant.ofEpochMilli(timestamp))
                .setRegion("TJ-KT")
                .setSeverity(Severity.CRITICAL)
                .setConfidence(Confidence.CONFIRMED)
                .setThreatType(ThreatType.ARMED_INCURSION)
                .setDetectedBy(DetectionMethod.PATROL)
                .build();
        return List.of(
                new Poison("bytes that are not Avro", Topics.INCIDENTS.name(), "TJ-KT",
                        "{\"region\": \"TJ-KT\", \"note\": \"JSON, not Avro\"}".getBytes(StandardCharsets.UTF_8),
                        timestamp),
                new Poison("unknown schema fingerprint", Topics.SEIZURES.name(), "UZ-SU", unknownFingerprint,
                        timestamp),
                new Poison("report keyed by another region", Topics.INCIDENTS.name(), "KG-B",
                        Topics.INCIDENTS.valueSerde().serializer().serialize(Topics.INCIDENTS.name(), misplaced),
                        timestamp));
    }

    /**
     * What a foreign producer may write besides garbage: records that start like Avro and break later, a valid
     * record of the other topic's type, a large blob and a tombstone.
     */
    private static List<Poison> morePoison(final List<PublishedReport> originals, final Random random,
                                           final long timestamp) {
        final PublishedReport incident = originals.stream()
                .filter(report -> report.topic().equals(Topics.INCIDENTS.name())).findFirst().orElseThrow();
        final PublishedReport seizure = originals.stream()
                .filter(report -> report.topic().equals(Topics.SEIZURES.name())).findFirst().orElseThrow();
        final byte[] blob = new byte[64 * 1024];
        random.nextBytes(blob);
        final byte[] value = incident.value();
        return List.of(
                new Poison("empty value", Topics.INCIDENTS.name(), incident.key(), new byte[0], timestamp),
                new Poison("header without a body", Topics.INCIDENTS.name(), incident.key(),
                        Arrays.copyOf(value, 10), timestamp),
                new Poison("report cut in half", Topics.INCIDENTS.name(), incident.key(),
                        Arrays.copyOf(value, value.length / 2), timestamp),
                new Poison("seizure on the incidents topic", Topics.INCIDENTS.name(), seizure.key(),
                        seizure.value(), timestamp),
                new Poison("64 KiB of random bytes", Topics.SEIZURES.name(), seizure.key(), blob, timestamp),
                new Poison("null value (tombstone)", Topics.SEIZURES.name(), seizure.key(), null, timestamp));
    }

    private static void sleep(final long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }
}
