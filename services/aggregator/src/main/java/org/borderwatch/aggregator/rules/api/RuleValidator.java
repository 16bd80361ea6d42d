package org.borderwatch.aggregator.rules.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.EscalationTier;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.region.Regions;

/**
 * Turns a {@link RuleBody} into an {@link AlertRule}, or a 422 naming every field and the rule it broke:
 * {@code required}, {@code pattern}, {@code too-long}, {@code unknown-value}, {@code unknown-region},
 * {@code window-not-configured}, {@code not-positive}, {@code negative}, {@code above-threshold},
 * {@code not-above-threshold}, {@code duplicate-tier}, {@code too-many}, {@code id-mismatch}.
 */
@Singleton
public final class RuleValidator {

    static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MAX_NAME = 200;
    static final int MAX_TIERS = 10;

    private static final Pattern REGION_CODE = Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");
    private static final Pattern COUNTRY_PREFIX = Pattern.compile("[A-Z]{2}-\\*");
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final List<WindowSpec> windows;
    private final Regions regions;

    public RuleValidator(final RulesHost host, final Regions regions) {
        this.windows = host.windows();
        this.regions = regions;
    }

    /**
     * @param pathId the id in the URL ({@code PUT /v1/rules/{id}}), or null
     * @param idRequired false when an absent id may be generated (create) or does not matter (backtest)
     */
    public AlertRule validate(final RuleBody body, final String pathId, final boolean idRequired) {
        final List<Violation> violations = new ArrayList<>();
        if (body == null) {
            throw ProblemException.invalid(List.of(new Violation("", "required", "send the rule as a JSON object")));
        }
        String ruleId = body.ruleId() == null ? pathId : body.ruleId().strip();
        if (pathId != null && body.ruleId() != null && !pathId.equals(ruleId)) {
            violations.add(new Violation("ruleId", "id-mismatch", "the body's ruleId '" + ruleId
                    + "' is not the id in the path '" + pathId + "'"));
        }
        if (ruleId == null || ruleId.isEmpty()) {
            if (idRequired) {
                violations.add(new Violation("ruleId", "required", "a rule needs an id"));
            }
            ruleId = "rule-" + UUID.randomUUID().toString().substring(0, 8);
        } else if (!RULE_ID.matcher(ruleId).matches()) {
            violations.add(new Violation("ruleId", "pattern", "'" + ruleId + "' must be 1 to 64 lower case letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit"));
        }
        final String name = required(body.name(), "name", violations);
        if (name != null && name.length() > MAX_NAME) {
            violations.add(new Violation("name", "too-long", "at most " + MAX_NAME + " characters"));
        }
        final String region = region(body.region(), violations);
        final ThreatType threatType = body.threatType() == null || body.threatType().isBlank() ? null
                : enumValue(body.threatType(), "threatType", ThreatType::valueOf, ThreatType.values(), violations);
        final String window = window(body.window(), violations);
        final Metric metric = body.metric() == null ? missing("metric", violations)
                : enumValue(body.metric(), "metric", Metric::valueOf, Metric.values(), violations);
        final Severity severity = body.severity() == null ? missing("severity", violations)
                : enumValue(body.severity(), "severity", Severity::valueOf, Severity.values(), violations);
        final Double threshold = body.threshold();
        if (threshold == null) {
            violations.add(new Violation("threshold", "required", "the value at which the rule fires"));
        } else if (!Double.isFinite(threshold) || threshold <= 0) {
            violations.add(new Violation("threshold", "not-positive", "must be a number > 0, was " + threshold));
        }
        final double resolve = body.resolveThreshold() == null ? (threshold == null ? 0 : threshold)
                : body.resolveThreshold();
        if (!Double.isFinite(resolve) || resolve < 0) {
            violations.add(new Violation("resolveThreshold", "negative", "must be a number >= 0, was " + resolve));
        } else if (threshold != null && resolve > threshold) {
            violations.add(new Violation("resolveThreshold", "above-threshold", "must not exceed the threshold "
                    + threshold + ", was " + resolve + " (the breach resolves when the value falls below it)"));
        }
        final List<EscalationTier> tiers = tiers(body.escalations(), threshold, violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return AlertRule.newBuilder()
                .setRuleId(ruleId)
                .setName(name)
                .setRegion(region)
                .setThreatType(threatType)
                .setWindow(window)
                .setMetric(metric)
                .setThreshold(threshold)
                .setResolveThreshold(resolve)
                .setSeverity(severity)
                .setEscalations(tiers)
                .setEnabled(body.enabled() == null || body.enabled())
                .build();
    }

    /** Checks an AlertRule that did not come through the API (the shipped default rules). */
    public AlertRule validate(final AlertRule rule) {
        return validate(new RuleBody(rule.getRuleId(), rule.getName(), rule.getRegion(),
                rule.getThreatType() == null ? null : rule.getThreatType().name(), rule.getWindow(),
                rule.getMetric().name(), rule.getThreshold(), rule.getResolveThreshold(), rule.getSeverity().name(),
                rule.getEscalations().stream().map(tier -> new RuleBody.Tier(tier.getThreshold(),
                        tier.getSeverity().name())).toList(), rule.getEnabled()), null, true);
    }

    private String region(final String region, final List<Violation> violations) {
        final String value = required(region, "region", violations);
        if (value == null || value.equals("*") || COUNTRY_PREFIX.matcher(value).matches()
                && COUNTRIES.contains(value.substring(0, 2))) {
            return value;
        }
        if (REGION_CODE.matcher(value).matches()) {
            if (!regions.contains(value)) {
                violations.add(new Violation("region", "unknown-region", "region " + value
                        + " is not in the region reference"));
            }
            return value;
        }
        if (COUNTRY_CODE.matcher(value).matches() && COUNTRIES.contains(value)) {
            return value;
        }
        violations.add(new Violation("region", "pattern", "'" + value + "' is not a region code (TJ-KT), a country"
                + " prefix (TJ-*), * or a country code (TJ)"));
        return value;
    }

    private String window(final String window, final List<Violation> violations) {
        final String value = required(window, "window", violations);
        if (value != null && WindowSpec.find(windows, value).isEmpty()) {
            violations.add(new Violation("window", "window-not-configured", "'" + value + "' is not one of the"
                    + " configured windows " + windows.stream().map(WindowSpec::name).toList()));
        }
        return value;
    }

    private static List<EscalationTier> tiers(final List<RuleBody.Tier> tiers, final Double threshold,
                                              final List<Violation> violations) {
        if (tiers == null) {
            return List.of();
        }
        if (tiers.size() > MAX_TIERS) {
            violations.add(new Violation("escalations", "too-many", "at most " + MAX_TIERS + " tiers"));
            return List.of();
        }
        final List<EscalationTier> result = new ArrayList<>();
        final Set<Double> thresholds = new HashSet<>();
        for (int i = 0; i < tiers.size(); i++) {
            final String field = "escalations[" + i + "]";
            final RuleBody.Tier tier = tiers.get(i);
            if (tier == null) {
                violations.add(new Violation(field, "required", "a tier needs a threshold and a severity"));
                continue;
            }
            final Double tierThreshold = tier.threshold();
            if (tierThreshold == null) {
                violations.add(new Violation(field + ".threshold", "required", "the value that escalates"));
            } else if (threshold != null && (!Double.isFinite(tierThreshold) || tierThreshold <= threshold)) {
                violations.add(new Violation(field + ".threshold", "not-above-threshold", "must be above the rule's"
                        + " threshold " + threshold + ", was " + tierThreshold));
            } else if (!thresholds.add(tierThreshold)) {
                violations.add(new Violation(field + ".threshold", "duplicate-tier", "another tier has the"
                        + " threshold " + tierThreshold));
            }
            final Severity severity = tier.severity() == null ? missing(field + ".severity", violations)
                    : enumValue(tier.severity(), field + ".severity", Severity::valueOf, Severity.values(), violations);
            if (tierThreshold != null && severity != null) {
                result.add(new EscalationTier(tierThreshold, severity));
            }
        }
        return result;
    }

    private static String required(final String value, final String field, final List<Violation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new Violation(field, "required", field + " is required"));
            return null;
        }
        return value.strip();
    }

    private static <E> E missing(final String field, final List<Violation> violations) {
        violations.add(new Violation(field, "required", field + " is required"));
        return null;
    }

    private static <E extends Enum<E>> E enumValue(final String value, final String field,
                                                   final Function<String, E> parse, final E[] values,
                                                   final List<Violation> violations) {
        try {
            return parse.apply(value.strip());
        } catch (final IllegalArgumentException e) {
            violations.add(new Violation(field, "unknown-value", "'" + value + "' is not one of "
                    + Arrays.toString(values)));
            return null;
        }
    }
}
