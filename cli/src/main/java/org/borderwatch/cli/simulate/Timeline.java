package org.borderwatch.cli.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.borderwatch.cli.simulate.Scenario.Agency;
import org.borderwatch.cli.simulate.Scenario.Amount;
import org.borderwatch.cli.simulate.Scenario.DrugMix;
import org.borderwatch.cli.simulate.Scenario.Region;
import org.borderwatch.cli.simulate.Scenario.Surge;
import org.borderwatch.cli.simulate.Scenario.ThreatMix;

/**
 * The reports of a scenario in publication order, generated lazily, one scenario minute at a time, from one
 * {@link Random} seeded by the caller: the same scenario, seed, rate, speed-up and start give the same reports byte
 * for byte (event ids included). Everything but {@code start} is independent of the clock; a live run passes the
 * wall-clock time it starts at, so its times differ from another run's by exactly the difference of the starts.
 *
 * <p>Time: the scenario runs in scenario time, {@code speedUp} times faster than the wall clock. A report is due
 * at {@code start + scenarioTime / speedUp}; its {@code occurredAt} lies a little before that (a patrol reports
 * up to {@code reportDelay}, default a minute, after the event), hours before for a late report, and a duplicate (same {@code eventId}, same body) is due
 * again a few seconds to {@code duplicates.maxDelay} after its original.
 */
public final class Timeline implements Iterator<Timeline.Report> {

    /** Where a report comes from: the background, a surge, or a repeated (duplicate) send. */
    public enum Origin { BACKGROUND, SURGE, DUPLICATE }

    /**
     * One report to publish.
     *
     * @param due       when to publish it
     * @param principal the agency principal whose key publishes it
     * @param type      {@code incident} or {@code seizure}
     * @param body      the API's JSON body (without {@code type})
     * @param surge     the surge it belongs to, or null
     * @param late      true when {@code occurredAt} lies hours before {@code due}
     */
    public record Report(Instant due, long sequence, String principal, String type, ObjectNode body, Origin origin,
                         Surge surge, int cycle, boolean late) {

        /** The line for {@code POST /v1/batch} and {@code borderwatch publish}: the body with its {@code type}. */
        public String ndjson() {
            final ObjectNode line = JsonNodeFactory.instance.objectNode();
            line.put("type", type);
            line.setAll(body);
            return line.toString();
        }
    }

    private static final long MINUTE_MILLIS = 60_000;
    /** How long after the event a report is sent at most, unless the scenario says ({@code reportDelay}). */
    public static final Duration DEFAULT_REPORT_DELAY = Duration.ofMinutes(1);

    private static final double JITTER_DEGREES = 0.25;
    private static final long MIN_LATE_MILLIS = Duration.ofMinutes(30).toMillis();
    private static final long MIN_DUPLICATE_DELAY_MILLIS = 5_000;

    private final Scenario scenario;
    private final Random random;
    private final double ratePerMinute;
    private final double speedUp;
    private final Instant start;
    private final long endMillis;
    private final long repeatMillis;
    private final long maxReportDelayMillis;
    private final PriorityQueue<Report> queue = new PriorityQueue<>((a, b) -> a.due().equals(b.due())
            ? Long.compare(a.sequence(), b.sequence()) : a.due().compareTo(b.due()));
    private long generatedUntil;
    private double nextBackground;
    private long sequence;

    /**
     * @param ratePerMinute background reports per scenario minute
     * @param speedUp       scenario time per wall-clock time (1: real time)
     * @param start         the wall-clock instant scenario time 0 maps to
     * @param duration      wall-clock length of the run; null for no end
     */
    public Timeline(final Scenario scenario, final long seed, final double ratePerMinute, final double speedUp,
                    final Instant start, final Duration duration) {
        if (!(speedUp > 0)) {
            throw new IllegalArgumentException("speed-up must be greater than 0");
        }
        this.scenario = scenario;
        this.random = new Random(seed);
        this.ratePerMinute = ratePerMinute;
        this.speedUp = speedUp;
        this.start = start.truncatedTo(ChronoUnit.MILLIS);
        this.endMillis = duration == null ? Long.MAX_VALUE : (long) (duration.toMillis() * speedUp);
        this.repeatMillis = scenario.repeat() == null ? 0
                : Scenario.duration(scenario.repeat(), "repeat").toMillis();
        this.maxReportDelayMillis = scenario.reportDelay() == null ? DEFAULT_REPORT_DELAY.toMillis()
                : Scenario.duration(scenario.reportDelay(), "reportDelay").toMillis();
        this.nextBackground = ratePerMinute > 0 ? exponential() : Double.MAX_VALUE;
    }

    /** The wall-clock instant a scenario time maps to. */
    public Instant wallClock(final long scenarioMillis) {
        return start.plusMillis((long) (scenarioMillis / speedUp));
    }

    @Override
    public boolean hasNext() {
        fill();
        return !queue.isEmpty() && scenarioMillis(queue.peek().due()) <= endMillis;
    }

    @Override
    public Report next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return queue.poll();
    }

    /** The next report without taking it. */
    public Report peek() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return queue.peek();
    }

    private long scenarioMillis(final Instant due) {
        return (long) (Duration.between(start, due).toMillis() * speedUp);
    }

    /** Generates scenario minutes until the queue holds a report due before everything still ungenerated. */
    private void fill() {
        while ((queue.isEmpty() || scenarioMillis(queue.peek().due()) >= generatedUntil) && generatedUntil <= endMillis
                && (ratePerMinute > 0 || hasSurgesAfter(generatedUntil))) {
            generateMinute(generatedUntil);
            generatedUntil += MINUTE_MILLIS;
        }
    }

    private boolean hasSurgesAfter(final long millis) {
        final List<Surge> surges = surges();
        if (surges.isEmpty()) {
            return false;
        }
        return repeatMillis > 0 || millis <= surges.stream()
                .mapToLong(surge -> offset(surge.start()) + offset(surge.duration())).max().orElse(0);
    }

    private void generateMinute(final long from) {
        if (repeatMillis > 0 ? from % repeatMillis < MINUTE_MILLIS : from == 0) {
            final int cycle = repeatMillis > 0 ? (int) (from / repeatMillis) : 0;
            for (final Surge surge : surges()) {
                generateSurge(surge, cycle, repeatMillis > 0 ? from - from % repeatMillis : 0);
            }
        }
        while (nextBackground < from + MINUTE_MILLIS) {
            background((long) nextBackground);
            nextBackground += exponential();
        }
    }

    private List<Surge> surges() {
        return scenario.surges() == null ? List.of() : scenario.surges();
    }

    /** The time to the next background report: the Poisson process of {@code rate}. */
    private double exponential() {
        return -Math.log(1 - random.nextDouble()) * MINUTE_MILLIS / ratePerMinute;
    }

    private void generateSurge(final Surge surge, final int cycle, final long cycleStart) {
        final long begin = cycleStart + offset(surge.start());
        final long length = offset(surge.duration());
        final boolean rising = "rising".equals(surge.shape());
        for (int i = 0; i < surge.count(); i++) {
            // Stratified: the i-th report falls in the i-th slice, so a surge is as dense as scripted, not by luck.
            final double u = (i + random.nextDouble()) / surge.count();
            final long at = begin + (long) ((rising ? Math.sqrt(u) : u) * length);
            final String code = surge.regions().get(i % surge.regions().size());
            final Agency agency = scenario.agency(surge.agencyId());
            final Region region = scenario.region(code);
            final ObjectNode body;
            if (surge.incident() != null) {
                final Scenario.SurgeIncident template = surge.incident();
                body = incident(agency, region, at, template.threatType(), pick(template.severity()),
                        pick(template.detectedBy()), persons(template.persons()), template.descriptions());
            } else {
                final Scenario.SurgeSeizure template = surge.seizure();
                final DrugMix mix = scenario.seizures().drugs().get(template.drugType());
                body = seizure(agency, region, at, template.drugType(), amount(template.quantityKg()),
                        mix != null ? mix.departure() : "AF", mix != null ? mix.destination() : null,
                        template.concealment() != null ? template.concealment() : pick(scenario.seizures().concealment()));
            }
            add(body, agency, at, Origin.SURGE, surge, cycle, false);
        }
    }

    private void background(final long at) {
        final boolean incident = random.nextDouble() < scenario.incidents().share();
        final Region region = pickRegion(incident);
        final Agency agency = owner(region);
        final ObjectNode body;
        if (incident) {
            final String threatType = pick(weights(scenario.incidents().threatTypes()));
            final ThreatMix mix = scenario.incidents().threatTypes().get(threatType);
            body = incident(agency, region, at, threatType, pick(mix.severity()),
                    pick(scenario.incidents().detectedBy()), persons(mix.persons()), mix.descriptions());
        } else {
            final String drug = pick(drugWeights());
            final DrugMix mix = scenario.seizures().drugs().get(drug);
            body = seizure(agency, region, at, drug, amount(mix.quantityKg()), mix.departure(), mix.destination(),
                    pick(scenario.seizures().concealment()));
        }
        final boolean late = scenario.late() != null && random.nextDouble() < scenario.late().share();
        if (late) {
            final long maxLate = Scenario.duration(scenario.late().maxDelay(), "late.maxDelay").toMillis();
            final long lateBy = MIN_LATE_MILLIS + (long) (random.nextDouble() * Math.max(0, maxLate - MIN_LATE_MILLIS));
            body.put("occurredAt", Instant.parse(body.get("occurredAt").asText()).minusMillis(lateBy)
                    .truncatedTo(ChronoUnit.SECONDS).toString());
        }
        add(body, agency, at, Origin.BACKGROUND, null, -1, late);
    }

    private void add(final ObjectNode body, final Agency agency, final long at, final Origin origin, final Surge surge,
                     final int cycle, final boolean late) {
        final String type = body.has("threatType") ? "incident" : "seizure";
        final Instant due = wallClock(at);
        queue.add(new Report(due, sequence++, agency.principal(), type, body, origin, surge, cycle, late));
        if (scenario.duplicates() != null && random.nextDouble() < scenario.duplicates().share()) {
            final long maxDelay = Scenario.duration(scenario.duplicates().maxDelay(), "duplicates.maxDelay").toMillis();
            final long delay = MIN_DUPLICATE_DELAY_MILLIS
                    + (long) (random.nextDouble() * Math.max(0, maxDelay - MIN_DUPLICATE_DELAY_MILLIS));
            // The delay is the agency's (wall clock): a client retrying, or a second officer filing the same report.
            queue.add(new Report(due.plusMillis(delay), sequence++, agency.principal(), type, body.deepCopy(),
                    Origin.DUPLICATE, surge, cycle, late));
        }
    }

    private ObjectNode common(final Agency agency, final Region region, final long at) {
        final ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("eventId", new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x0000000000004000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString());
        body.put("agencyId", agency.agencyId());
        final long reportDelay = (long) (random.nextDouble() * maxReportDelayMillis);
        body.put("occurredAt", wallClock(at).minusMillis(reportDelay).truncatedTo(ChronoUnit.SECONDS).toString());
        body.put("region", region.code());
        if (region.sections() != null && !region.sections().isEmpty()) {
            body.put("borderSection", region.sections().get(random.nextInt(region.sections().size())));
        }
        final ObjectNode location = body.putObject("location");
        location.put("latitude", round(region.latitude() + (random.nextDouble() * 2 - 1) * JITTER_DEGREES, 4));
        location.put("longitude", round(region.longitude() + (random.nextDouble() * 2 - 1) * JITTER_DEGREES, 4));
        return body;
    }

    private ObjectNode incident(final Agency agency, final Region region, final long at, final String threatType,
                                final String severity, final String detectedBy, final int persons,
                                final List<String> descriptions) {
        final ObjectNode body = common(agency, region, at);
        body.put("severity", severity);
        body.put("confidence", pick(scenario.confidence()));
        body.put("threatType", threatType);
        body.put("personsInvolved", persons);
        body.put("detectedBy", detectedBy);
        if (descriptions != null && !descriptions.isEmpty()) {
            body.put("description", descriptions.get(random.nextInt(descriptions.size()))
                    .replace("{persons}", Integer.toString(persons)));
        }
        return body;
    }

    private ObjectNode seizure(final Agency agency, final Region region, final long at, final String drugType,
                               final BigDecimal kg, final String departure, final String destination,
                               final String concealment) {
        final ObjectNode body = common(agency, region, at);
        body.put("severity", severityOf(kg.doubleValue()));
        body.put("confidence", "CONFIRMED");
        body.put("drugType", drugType);
        body.put("quantityKg", kg);
        body.put("departureCountry", departure);
        body.put("destinationCountry", destination != null ? destination : pick(scenario.seizures().destinations()));
        body.put("concealment", concealment);
        body.put("arrests", random.nextInt(4));
        return body;
    }

    /** A seizure's severity by its size: the scale a drug-control officer would use for a border seizure. */
    static String severityOf(final double kg) {
        if (kg >= 100) {
            return "CRITICAL";
        }
        if (kg >= 10) {
            return "HIGH";
        }
        return kg >= 1 ? "MEDIUM" : "LOW";
    }

    private Region pickRegion(final boolean incident) {
        final List<Region> regions = new ArrayList<>();
        final List<Double> weights = new ArrayList<>();
        for (final Agency agency : scenario.agencies()) {
            for (final Region region : agency.regions()) {
                regions.add(region);
                weights.add(incident ? region.incidents() : region.seizures());
            }
        }
        return regions.get(pickIndex(weights));
    }

    private Agency owner(final Region region) {
        return scenario.agencies().stream().filter(agency -> agency.regions().contains(region)).findFirst()
                .orElseThrow();
    }

    private Map<String, Double> drugWeights() {
        final Map<String, Double> weights = new LinkedHashMap<>();
        scenario.seizures().drugs().forEach((drug, mix) -> weights.put(drug, mix.weight()));
        return weights;
    }

    private static Map<String, Double> weights(final Map<String, ThreatMix> mixes) {
        final Map<String, Double> weights = new LinkedHashMap<>();
        mixes.forEach((type, mix) -> weights.put(type, mix.weight()));
        return weights;
    }

    private String pick(final Map<String, Double> weights) {
        final List<String> keys = new ArrayList<>(weights.keySet());
        return keys.get(pickIndex(new ArrayList<>(weights.values())));
    }

    private int pickIndex(final List<Double> weights) {
        final double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        double point = random.nextDouble() * total;
        for (int i = 0; i < weights.size(); i++) {
            point -= weights.get(i);
            if (point < 0) {
                return i;
            }
        }
        return weights.size() - 1;
    }

    /** Lognormal around the median, capped at max; kilograms to the gram. */
    private BigDecimal amount(final Amount amount) {
        final double value = Math.min(amount.max(), amount.median() * Math.exp(amount.spread() * random.nextGaussian()));
        return BigDecimal.valueOf(Math.max(0.001, value)).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private int persons(final Amount persons) {
        final double value = Math.min(persons.max(), persons.median() * Math.exp(persons.spread() * random.nextGaussian()));
        return (int) Math.max(1, Math.round(value));
    }

    private static double round(final double value, final int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    }

    private static long offset(final String duration) {
        return Scenario.duration(duration, "duration").toMillis();
    }
}
