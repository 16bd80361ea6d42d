package org.borderwatch.bench.workload;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.GeoPoint;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.Topics;

/**
 * Realistic, reproducible agency reports: seeded, so a run can be repeated exactly. About 70% incidents (eight
 * threat types, crossings most frequent) and 30% drug seizures; severities skewed towards LOW and MEDIUM; two or
 * three agencies per country plus a liaison office reporting everywhere; a border section, a location near the
 * region's center and a one-line description. Encoded with the registry's serdes: about 180 bytes per record.
 *
 * <p>Not thread-safe: one generator per producing thread.
 */
public final class ReportGenerator {

    private static final ThreatType[] INCIDENT_TYPES = {
        ThreatType.ILLEGAL_CROSSING, ThreatType.ILLEGAL_CROSSING, ThreatType.ILLEGAL_CROSSING,
        ThreatType.GOODS_SMUGGLING, ThreatType.GOODS_SMUGGLING, ThreatType.WEAPONS_SMUGGLING,
        ThreatType.HUMAN_TRAFFICKING, ThreatType.ARMED_INCURSION, ThreatType.EXTREMIST_ACTIVITY,
        ThreatType.ONLINE_RECRUITMENT, ThreatType.OTHER};
    private static final Severity[] SEVERITIES = {
        Severity.LOW, Severity.LOW, Severity.LOW, Severity.LOW, Severity.MEDIUM, Severity.MEDIUM, Severity.MEDIUM,
        Severity.HIGH, Severity.HIGH, Severity.CRITICAL};
    private static final Confidence[] CONFIDENCES = {
        Confidence.CONFIRMED, Confidence.CONFIRMED, Confidence.CONFIRMED, Confidence.PROBABLE, Confidence.PROBABLE,
        Confidence.POSSIBLE};
    private static final DrugType[] DRUGS = {
        DrugType.HEROIN, DrugType.HEROIN, DrugType.OPIUM, DrugType.HASHISH, DrugType.HASHISH,
        DrugType.CANNABIS_HERB, DrugType.METHAMPHETAMINE, DrugType.PRECURSORS, DrugType.MEPHEDRONE};
    private static final String[] AGENCY_KINDS = {"BORDER-GUARD", "CUSTOMS", "DRUG-CONTROL"};
    private static final String LIAISON = "UNODC-LIAISON";
    private static final String[] DESCRIPTIONS = {
        "Group of four crossed the river at night, two detained",
        "Vehicle turned back at the crossing after a document check",
        "Fresh tracks along the fence line, towards the village road",
        "Cargo declared as textiles, inspection pending at customs",
        "Movement seen on the far bank; drone sent, contact lost",
        "Informant report of a planned crossing, not corroborated"};
    private static final String[] SECTIONS = {"Panj river", "Fergana valley", "mountain pass", "railway crossing",
        "steppe fence", "lake shore"};
    private static final String[] CONCEALMENTS = {"fuel tank of a long-haul truck", "false floor of a minibus",
        "swallowed capsules, body carrier", "pallets of dried fruit", "spare tyre of a passenger car"};
    private static final String[] COUNTRIES_ON_ROUTE = {"AF", "RU", "IR", "CN", "TR"};

    private final Random random;
    private final List<Region> regions;

    public ReportGenerator(final long seed, final List<Region> regions) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("at least one region is needed");
        }
        this.random = new Random(seed);
        this.regions = List.copyOf(regions);
    }

    /** A new report from a random region; 30% are seizures. */
    public PublishedReport next(final long occurredAt, final long reportedAt) {
        return next(regions.get(random.nextInt(regions.size())), occurredAt, reportedAt);
    }

    public PublishedReport next(final Region region, final long occurredAt, final long reportedAt) {
        return random.nextInt(10) < 3 ? seizure(region, occurredAt, reportedAt)
                : incident(region, occurredAt, reportedAt);
    }

    public PublishedReport incident(final Region region, final long occurredAt, final long reportedAt) {
        final BorderIncident incident = BorderIncident.newBuilder()
                .setEventId(uuid())
                .setAgencyId(agency(region))
                .setOccurredAt(Instant.ofEpochMilli(occurredAt))
                .setReportedAt(Instant.ofEpochMilli(reportedAt))
                .setRegion(region.code())
                .setBorderSection(section())
                .setLocation(near(region))
                .setSeverity(pick(SEVERITIES))
                .setConfidence(pick(CONFIDENCES))
                .setThreatType(pick(INCIDENT_TYPES))
                .setPersonsInvolved(random.nextInt(12))
                .setDetectedBy(pick(DetectionMethod.values()))
                .setDescription(pick(DESCRIPTIONS))
                .build();
        return of(incident, region.code());
    }

    public PublishedReport seizure(final Region region, final long occurredAt, final long reportedAt) {
        final DrugSeizure seizure = DrugSeizure.newBuilder()
                .setEventId(uuid())
                .setAgencyId(agency(region))
                .setOccurredAt(Instant.ofEpochMilli(occurredAt))
                .setReportedAt(Instant.ofEpochMilli(reportedAt))
                .setRegion(region.code())
                .setBorderSection(section())
                .setLocation(near(region))
                .setSeverity(pick(SEVERITIES))
                .setConfidence(pick(CONFIDENCES))
                .setDrugType(pick(DRUGS))
                // Quarter kilograms: exact in binary, so the verifier's sums do not depend on addition order.
                .setQuantityKg(0.25 * (1 + random.nextInt(2_000)))
                .setDepartureCountry(pick(COUNTRIES_ON_ROUTE))
                .setDestinationCountry(pick(COUNTRIES_ON_ROUTE))
                .setConcealment(pick(CONCEALMENTS))
                .setArrests(random.nextInt(4))
                .build();
        return of(seizure, region.code());
    }

    /** The record as published under {@code key}; the key is the region, except in a deliberately wrong record. */
    public static PublishedReport of(final BorderIncident incident, final String key) {
        final byte[] value = Topics.INCIDENTS.valueSerde().serializer().serialize(Topics.INCIDENTS.name(), incident);
        return new PublishedReport(Topics.INCIDENTS.name(), key, value, incident.getReportedAt().toEpochMilli(),
                incident.getEventId(), incident.getRegion(), incident.getThreatType(),
                incident.getOccurredAt().toEpochMilli(), incident.getSeverity(), incident.getConfidence(),
                incident.getAgencyId(), null, 0.0);
    }

    public static PublishedReport of(final DrugSeizure seizure, final String key) {
        final byte[] value = Topics.SEIZURES.valueSerde().serializer().serialize(Topics.SEIZURES.name(), seizure);
        return new PublishedReport(Topics.SEIZURES.name(), key, value, seizure.getReportedAt().toEpochMilli(),
                seizure.getEventId(), seizure.getRegion(), ThreatType.DRUG_TRAFFICKING,
                seizure.getOccurredAt().toEpochMilli(), seizure.getSeverity(), seizure.getConfidence(),
                seizure.getAgencyId(), seizure.getDrugType(), seizure.getQuantityKg());
    }

    private String agency(final Region region) {
        final int kind = random.nextInt(AGENCY_KINDS.length + 1);
        return kind == AGENCY_KINDS.length ? LIAISON : region.country() + "-" + AGENCY_KINDS[kind];
    }

    private String section() {
        return pick(SECTIONS) + ", sector " + (1 + random.nextInt(40));
    }

    private GeoPoint near(final Region region) {
        return new GeoPoint(region.latitude() + random.nextGaussian() * 0.3,
                region.longitude() + random.nextGaussian() * 0.3);
    }

    private UUID uuid() {
        return new UUID(random.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x4000L,
                random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
    }

    private <T> T pick(final T[] values) {
        return values[random.nextInt(values.length)];
    }
}
