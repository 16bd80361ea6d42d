package org.borderwatch.cli.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;

/**
 * A simulation scenario: who reports from where, the background mix of incidents and seizures, late and duplicate
 * reports, and scripted surges. Read from YAML (or JSON, which is YAML); unknown fields are refused, and every
 * value is checked with a message naming its path. The format is documented in the root README ("Simulator") and
 * by the default scenario ({@value #DEFAULT}).
 *
 * <p>Weights ({@code {HIGH: 2, CRITICAL: 1}}) are relative, need not sum to anything and are drawn from in the
 * order written, so the same file and seed give the same events.
 */
public record Scenario(String name, String description, String rate, String repeat, String reportDelay, Share late,
                       Share duplicates,
                       Map<String, Double> confidence, List<Agency> agencies, Incidents incidents, Seizures seizures,
                       List<Surge> surges) {

    /** The scenario {@code borderwatch simulate} runs without {@code --scenario}. */
    public static final String DEFAULT = "/org/borderwatch/cli/simulate/default-scenario.yml";

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern REGION = Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** A share of the reports, and how far they reach: late reports' age, duplicates' delay. */
    public record Share(double share, String maxDelay) {
    }

    /** A reporting agency: the id it publishes as, its API key's principal name, and the regions it covers. */
    public record Agency(String agencyId, String principal, List<Region> regions) {
    }

    /**
     * A region an agency covers: its ISO 3166-2 code, a point reports are scattered around (±0.25°), background
     * weights for incidents and for seizures, and optional border sections named in reports.
     */
    public record Region(String code, double latitude, double longitude, double incidents, double seizures,
                         List<String> sections) {
    }

    /** The background incident mix: its share of background reports, detection methods, threat types. */
    public record Incidents(double share, Map<String, Double> detectedBy, Map<String, ThreatMix> threatTypes) {
    }

    /** One threat type of the background: weight, severities, persons involved, descriptions. */
    public record ThreatMix(double weight, Map<String, Double> severity, Amount persons, List<String> descriptions) {
    }

    /** A lognormal amount: median, a cap, and the spread (sigma of its logarithm). */
    public record Amount(double median, double max, double spread) {
    }

    /** The background seizure mix: drugs, concealment methods, destination countries. */
    public record Seizures(Map<String, DrugMix> drugs, Map<String, Double> concealment,
                           Map<String, Double> destinations) {
    }

    /**
     * One drug: weight by number of seizures, quantity in kg, country of departure, and optionally one destination
     * (precursors travel into Afghanistan) instead of {@code destinations}.
     */
    public record DrugMix(double weight, Amount quantityKg, String departure, String destination) {
    }

    /**
     * A scripted surge: {@code count} reports by one agency in its {@code regions} (drawn in turn), from
     * {@code start} (scenario time, from the start of each repetition) over {@code duration}, spread evenly
     * ({@code flat}) or ever denser ({@code rising}). Either an incident or a seizure template.
     */
    public record Surge(String name, String agencyId, List<String> regions, String start, String duration, int count,
                        String shape, SurgeIncident incident, SurgeSeizure seizure) {
    }

    public record SurgeIncident(String threatType, Map<String, Double> severity, Map<String, Double> detectedBy,
                                Amount persons, List<String> descriptions) {
    }

    public record SurgeSeizure(String drugType, Amount quantityKg, String concealment) {
    }

    /** The default scenario, from the CLI's resources. */
    public static Scenario builtIn() {
        try (InputStream in = Scenario.class.getResourceAsStream(DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT + " is missing from the classpath");
            }
            return parse(in.readAllBytes(), "the default scenario");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT, e);
        }
    }

    public static Scenario read(final Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (final NoSuchFileException e) {
            throw new InvalidScenarioException("scenario " + file + " does not exist");
        } catch (final IOException e) {
            throw new InvalidScenarioException("cannot read scenario " + file + ": " + e);
        }
    }

    /** Parses and checks a scenario; {@code source} names it in error messages. */
    public static Scenario parse(final byte[] yaml, final String source) {
        final Scenario scenario;
        try {
            scenario = YAML.readValue(yaml, Scenario.class);
        } catch (final JsonMappingException e) {
            final String path = path(e);
            final String message = e.getOriginalMessage().startsWith("Cannot map `null`")
                    ? "is required (a number)" : e.getOriginalMessage();
            throw new InvalidScenarioException("scenario " + source + (path.isEmpty() ? "" : ", " + path) + ": "
                    + message + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (final JsonProcessingException e) {
            throw new InvalidScenarioException("scenario " + source + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (final IOException e) {
            throw new InvalidScenarioException("cannot read scenario " + source + ": " + e.getMessage());
        }
        if (scenario == null) {
            throw new InvalidScenarioException("scenario " + source + " is empty");
        }
        new Checker(source).check(scenario);
        return scenario;
    }

    /** {@code agencies[0].regions[1].latitude}: where in the file a mapping error is. */
    private static String path(final JsonMappingException e) {
        final StringBuilder path = new StringBuilder();
        for (final JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The background rate, in reports per scenario minute: {@code 6/min}, {@code 0.5/s} or a number per minute. */
    public static double perMinute(final String rate) {
        final String text = rate.strip();
        try {
            if (text.endsWith("/s")) {
                return Double.parseDouble(text.substring(0, text.length() - 2).strip()) * 60;
            }
            if (text.endsWith("/min")) {
                return Double.parseDouble(text.substring(0, text.length() - 4).strip());
            }
            return Double.parseDouble(text);
        } catch (final NumberFormatException e) {
            throw new InvalidScenarioException("rate '" + rate + "' is not a number of reports like 6/min or 0.5/s");
        }
    }

    static Duration duration(final String text, final String where) {
        try {
            return Duration.parse(text);
        } catch (final DateTimeParseException | NullPointerException e) {
            throw new InvalidScenarioException(where + ": '" + text + "' is not an ISO-8601 duration such as PT2M");
        }
    }

    /** The agency with this id. */
    Agency agency(final String agencyId) {
        return agencies.stream().filter(agency -> agency.agencyId().equals(agencyId)).findFirst().orElseThrow();
    }

    /** The region with this code. */
    Region region(final String code) {
        return agencies.stream().flatMap(agency -> agency.regions().stream())
                .filter(region -> region.code().equals(code)).findFirst().orElseThrow();
    }

    /** Checks a parsed scenario; the first problem is thrown with its path. */
    private record Checker(String source) {

        void check(final Scenario s) {
            require(s.name(), "name");
            perMinute(require(s.rate(), "rate"));
            if (perMinute(s.rate()) < 0) {
                fail("rate", "must not be negative");
            }
            if (s.repeat() != null && duration(s.repeat(), at("repeat")).toSeconds() < 60) {
                fail("repeat", "must be at least PT1M");
            }
            if (s.reportDelay() != null) {
                duration(s.reportDelay(), at("reportDelay"));
            }
            share(s.late(), "late");
            share(s.duplicates(), "duplicates");
            weights(s.confidence(), "confidence", names(Confidence.values()));
            if (s.agencies() == null || s.agencies().isEmpty()) {
                fail("agencies", "lists at least one agency");
            }
            final Map<String, String> owners = new HashMap<>();
            for (int i = 0; i < s.agencies().size(); i++) {
                agency(s.agencies().get(i), "agencies[" + i + "]", owners);
            }
            incidents(require(s.incidents(), "incidents"));
            seizures(require(s.seizures(), "seizures"));
            final List<Surge> surges = s.surges() == null ? List.of() : s.surges();
            for (int i = 0; i < surges.size(); i++) {
                surge(surges.get(i), "surges[" + i + "]", owners);
            }
        }

        private void agency(final Agency agency, final String path, final Map<String, String> owners) {
            require(agency.agencyId(), path + ".agencyId");
            require(agency.principal(), path + ".principal");
            if (agency.regions() == null || agency.regions().isEmpty()) {
                fail(path + ".regions", "lists at least one region");
            }
            for (int i = 0; i < agency.regions().size(); i++) {
                final Region region = agency.regions().get(i);
                final String at = path + ".regions[" + i + "]";
                if (region.code() == null || !REGION.matcher(region.code()).matches()) {
                    fail(at + ".code", "'" + region.code() + "' is not an ISO 3166-2 code such as TJ-KT");
                }
                // An agency's key covers its own country (TJ-*): the ingest API refuses other regions.
                final String country = agency.regions().get(0).code().substring(0, 2);
                if (!region.code().startsWith(country + "-")) {
                    fail(at + ".code", region.code() + " is outside " + country + ", the country of agency "
                            + agency.agencyId() + "'s first region: an agency reports from one country");
                }
                if (owners.put(region.code(), agency.agencyId()) != null) {
                    fail(at + ".code", region.code() + " is listed twice");
                }
                if (Math.abs(region.latitude()) > 89 || Math.abs(region.longitude()) > 179) {
                    fail(at, "latitude/longitude out of range");
                }
                if (region.incidents() < 0 || region.seizures() < 0) {
                    fail(at, "weights must not be negative");
                }
            }
        }

        private void incidents(final Incidents incidents) {
            fraction(incidents.share(), "incidents.share");
            weights(incidents.detectedBy(), "incidents.detectedBy", names(DetectionMethod.values()));
            final Set<String> types = Stream.of(ThreatType.values()).map(Enum::name)
                    .filter(type -> !type.equals(ThreatType.DRUG_TRAFFICKING.name())).collect(Collectors.toSet());
            weights(incidents.threatTypes() == null ? null : weightsOf(incidents.threatTypes(), ThreatMix::weight),
                    "incidents.threatTypes", types);
            incidents.threatTypes().forEach((type, mix) -> {
                weights(mix.severity(), "incidents.threatTypes." + type + ".severity", names(Severity.values()));
                amount(mix.persons(), "incidents.threatTypes." + type + ".persons");
            });
        }

        private void seizures(final Seizures seizures) {
            weights(seizures.drugs() == null ? null : weightsOf(seizures.drugs(), DrugMix::weight),
                    "seizures.drugs", names(DrugType.values()));
            seizures.drugs().forEach((drug, mix) -> {
                amount(mix.quantityKg(), "seizures.drugs." + drug + ".quantityKg");
                country(mix.departure(), "seizures.drugs." + drug + ".departure");
                if (mix.destination() != null) {
                    country(mix.destination(), "seizures.drugs." + drug + ".destination");
                }
            });
            weights(seizures.concealment(), "seizures.concealment", null);
            weights(seizures.destinations(), "seizures.destinations", null);
            seizures.destinations().keySet().forEach(code -> country(code, "seizures.destinations"));
        }

        private void surge(final Surge surge, final String path, final Map<String, String> owners) {
            require(surge.name(), path + ".name");
            require(surge.agencyId(), path + ".agencyId");
            if (surge.regions() == null || surge.regions().isEmpty()) {
                fail(path + ".regions", "lists at least one region");
            }
            for (final String region : surge.regions()) {
                if (!surge.agencyId().equals(owners.get(region))) {
                    fail(path + ".regions", region + " is not a region of agency " + surge.agencyId()
                            + " in this scenario's agencies");
                }
            }
            duration(require(surge.start(), path + ".start"), at(path + ".start"));
            if (duration(require(surge.duration(), path + ".duration"), at(path + ".duration")).isZero()) {
                fail(path + ".duration", "must be longer than zero");
            }
            if (surge.count() < 1) {
                fail(path + ".count", "must be at least 1");
            }
            if (surge.shape() != null && !Set.of("flat", "rising").contains(surge.shape())) {
                fail(path + ".shape", "is flat or rising");
            }
            if ((surge.incident() == null) == (surge.seizure() == null)) {
                fail(path, "has either an incident or a seizure template");
            }
            if (surge.incident() != null) {
                final SurgeIncident incident = surge.incident();
                if (!names(ThreatType.values()).contains(incident.threatType())
                        || ThreatType.DRUG_TRAFFICKING.name().equals(incident.threatType())) {
                    fail(path + ".incident.threatType", "'" + incident.threatType()
                            + "' is not an incident threat type (seizures have a seizure template)");
                }
                weights(incident.severity(), path + ".incident.severity", names(Severity.values()));
                weights(incident.detectedBy(), path + ".incident.detectedBy", names(DetectionMethod.values()));
                amount(incident.persons(), path + ".incident.persons");
            } else {
                final SurgeSeizure seizure = surge.seizure();
                if (!names(DrugType.values()).contains(seizure.drugType())) {
                    fail(path + ".seizure.drugType", "'" + seizure.drugType() + "' is not a drug type");
                }
                amount(seizure.quantityKg(), path + ".seizure.quantityKg");
            }
        }

        private void share(final Share share, final String path) {
            if (share != null) {
                fraction(share.share(), path + ".share");
                duration(require(share.maxDelay(), path + ".maxDelay"), at(path + ".maxDelay"));
            }
        }

        private void amount(final Amount amount, final String path) {
            require(amount, path);
            if (!(amount.median() > 0) || amount.max() < amount.median() || amount.spread() < 0) {
                fail(path, "needs median > 0, max >= median and spread >= 0");
            }
        }

        private void weights(final Map<String, Double> weights, final String path, final Set<String> allowed) {
            if (weights == null || weights.isEmpty()) {
                fail(path, "lists at least one weight");
            }
            weights.forEach((key, weight) -> {
                if (allowed != null && !allowed.contains(key)) {
                    fail(path + "." + key, "is not one of " + allowed.stream().sorted().toList());
                }
                if (weight == null || weight < 0) {
                    fail(path + "." + key, "weight must be a number >= 0");
                }
            });
            if (weights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
                fail(path, "weights must not all be zero");
            }
        }

        private void fraction(final double value, final String path) {
            if (value < 0 || value > 1) {
                fail(path, "must be between 0 and 1");
            }
        }

        private void country(final String code, final String path) {
            if (code == null || !COUNTRY.matcher(code).matches()) {
                fail(path, "'" + code + "' is not an ISO 3166-1 alpha-2 country code");
            }
        }

        private <T> T require(final T value, final String path) {
            if (value == null || value instanceof String text && text.isBlank()) {
                fail(path, "is required");
            }
            return value;
        }

        private String at(final String path) {
            return "scenario " + source + ", " + path;
        }

        private void fail(final String path, final String message) {
            throw new InvalidScenarioException(at(path) + ": " + message);
        }

        private static <V> Map<String, Double> weightsOf(final Map<String, V> map, final Function<V, Double> weight) {
            final Map<String, Double> weights = new LinkedHashMap<>();
            map.forEach((key, value) -> weights.put(key, value == null ? null : weight.apply(value)));
            return weights;
        }

        private static Set<String> names(final Enum<?>[] values) {
            return Stream.of(values).map(Enum::name).collect(Collectors.toSet());
        }
    }

    /** A scenario that cannot be used; the message names the file, the field and the rule. */
    public static final class InvalidScenarioException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public InvalidScenarioException(final String message) {
            super(message);
        }
    }
}
