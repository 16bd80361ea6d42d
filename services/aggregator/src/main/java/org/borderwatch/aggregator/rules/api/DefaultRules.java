package org.borderwatch.aggregator.rules.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.problem.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo rule set ({@value #RESOURCE}), published once the rule catalog has read the rules topic: each rule
 * whose id the topic never held, so a restart does not overwrite an administrator's change, a deleted default rule
 * is not brought back while its tombstone is retained, and a rule added to the set in a later release reaches an
 * existing dev stack. On when {@value #ENABLED} is true (the dev stack).
 */
@Context
@Requires(property = DefaultRules.ENABLED, value = "true")
public final class DefaultRules {

    public static final String ENABLED = "borderwatch.aggregator.default-rules.enabled";
    static final String RESOURCE = "/org/borderwatch/aggregator/rules/default-rules.json";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultRules.class);

    public DefaultRules(final RuleCatalog catalog, final RuleWriter writer, final RuleValidator validator,
                        final JsonMapper json, @Named(TaskExecutors.BLOCKING) final ExecutorService executor) {
        final List<AlertRule> rules = read(json, validator);
        catalog.caughtUp().thenRunAsync(() -> publish(rules, catalog, writer), executor);
    }

    /** The shipped rules that fit this aggregator's windows; the others are logged and left out. */
    static List<AlertRule> read(final JsonMapper json, final RuleValidator validator) {
        final List<RuleBody> bodies;
        try (InputStream in = DefaultRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            bodies = json.readValue(in.readAllBytes(), Argument.listOf(RuleBody.class));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        final List<AlertRule> rules = new ArrayList<>();
        for (final RuleBody body : bodies) {
            try {
                rules.add(validator.validate(body, null, true));
            } catch (final ProblemException e) {
                LOG.warn("Default rule {} does not fit this aggregator ({}); not published", body.ruleId(),
                        e.violations());
            }
        }
        return rules;
    }

    private static void publish(final List<AlertRule> rules, final RuleCatalog catalog, final RuleWriter writer) {
        final List<AlertRule> missing = rules.stream().filter(rule -> !catalog.everSeen(rule.getRuleId())).toList();
        if (missing.isEmpty()) {
            LOG.info("Default rules not published: {} already holds all of them", Topics.ALERT_RULES.name());
            return;
        }
        try {
            missing.forEach(writer::put);
            LOG.info("Published the default rules {}", missing.stream().map(AlertRule::getRuleId).toList());
        } catch (final ProblemException e) {
            LOG.warn("Could not publish the default rules: {}; they are published at the next start", e.getMessage());
        }
    }
}
