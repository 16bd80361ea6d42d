package org.borderwatch.cli.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.borderwatch.cli.http.ApiClient;
import org.borderwatch.cli.http.ApiResponse;
import org.borderwatch.cli.query.QueryCommand.ApiOptions;
import org.borderwatch.cli.query.QueryCommand.Table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code borderwatch rules}: the alert rules through the aggregator's rules API ({@code /v1/rules}, admin key):
 * list, show, create, update, enable, disable, delete, and backtest a rule over the retained history (admin or
 * analyst key). A change is answered once Kafka has it; the aggregator applies it within a second. Invalid rules are
 * refused with every broken field listed. Exit code 0 on success, 3 when the API refused, 1 when it could not be
 * reached.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Manage and backtest alert rules (aggregator /v1/rules).",
        subcommands = {RulesCommand.ListRules.class, RulesCommand.Show.class, RulesCommand.Create.class,
                RulesCommand.Update.class, RulesCommand.Enable.class, RulesCommand.Disable.class,
                RulesCommand.Delete.class, RulesCommand.Backtest.class})
public final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every rule.")
    static final class ListRules implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            final ApiResponse response = client.get("/v1/rules");
            if (!response.ok()) {
                return response.report(System.err);
            }
            if (api.json) {
                System.out.println(response.body());
                return 0;
            }
            final Table table = new Table("ID", "NAME", "REGION", "THREAT TYPE", "WINDOW", "METRIC", "THRESHOLD",
                    "RESOLVE BELOW", "SEVERITY", "ESCALATIONS", "ENABLED");
            for (final JsonNode rule : response.json().path("rules")) {
                table.row(rule.path("ruleId").asText(), rule.path("name").asText(), rule.path("region").asText(),
                        rule.path("threatType").asText("any"), rule.path("window").asText(),
                        rule.path("metric").asText(), Table.number(rule.path("threshold")),
                        Table.number(rule.path("resolveThreshold")), rule.path("severity").asText(),
                        escalations(rule), rule.path("enabled").asBoolean() ? "yes" : "no");
            }
            table.print(System.out, "No rules.");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one rule as JSON.")
    static final class Show implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", description = "Rule id")
        String id;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            final ApiResponse response = client.get("/v1/rules/" + ApiClient.segment(id));
            if (!response.ok()) {
                return response.report(System.err);
            }
            System.out.println(response.json().toPrettyString());
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a rule. Required: --name, --region, --window, --metric, --threshold, --severity.")
    static final class Create implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Mixin
        RuleOptions rule;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            final ApiResponse response = client.sendJson("POST", "/v1/rules",
                    rule.applyTo(JsonNodeFactory.instance.objectNode()));
            return printRule(response, api, "Created");
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change the given fields of a rule; the others keep their values.")
    static final class Update implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", description = "Rule id")
        String id;

        @Mixin
        RuleOptions rule;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            final ApiResponse current = client.get("/v1/rules/" + ApiClient.segment(id));
            if (!current.ok()) {
                return current.report(System.err);
            }
            final ObjectNode body = rule.applyTo(((ObjectNode) current.json()).deepCopy());
            body.remove("ruleId");
            return printRule(client.sendJson("PUT", "/v1/rules/" + ApiClient.segment(id), body), api, "Updated");
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled rule.")
    static final class Enable implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", description = "Rule id")
        String id;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            return printRule(client.sendJson("POST", "/v1/rules/" + ApiClient.segment(id) + "/enable", null), api,
                    "Enabled");
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable a rule: kept, not evaluated; its active breaches resolve.")
    static final class Disable implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", description = "Rule id")
        String id;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            return printRule(client.sendJson("POST", "/v1/rules/" + ApiClient.segment(id) + "/disable", null), api,
                    "Disabled");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a rule (a tombstone on the rules topic); its active breaches resolve.")
    static final class Delete implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", description = "Rule id")
        String id;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            final ApiResponse response = client.sendJson("DELETE", "/v1/rules/" + ApiClient.segment(id), null);
            if (!response.ok()) {
                return response.report(System.err);
            }
            System.out.println("Deleted rule " + id);
            return 0;
        }
    }

    @Command(name = "backtest", mixinStandardHelpOptions = true,
            description = "When a rule would have fired, escalated and resolved over the retained history."
                    + " Give a stored rule with --rule-id, or a rule with the same options as create.")
    static final class Backtest implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Option(names = "--rule-id", description = "A stored rule (instead of the rule options)")
        String ruleId;

        @Option(names = "--from", description = "Only reports that occurred at or after this, ISO-8601")
        String from;

        @Option(names = "--to", description = "Only reports that occurred before this, ISO-8601")
        String to;

        @Mixin
        RuleOptions rule;

        @Override
        public Integer call() {
            final ApiClient client = api.client();
            final ObjectNode body = ruleId == null ? rule.applyTo(JsonNodeFactory.instance.objectNode()) : null;
            final ApiResponse response = client.sendJson("POST", "/v1/rules/backtest"
                    + ApiClient.query("ruleId", ruleId, "from", from, "to", to), body);
            if (!response.ok()) {
                return response.report(System.err);
            }
            if (api.json) {
                System.out.println(response.body());
                return 0;
            }
            final JsonNode answer = response.json();
            System.out.printf("Rule %s over %d records (%d matching reports, %d undecodable): %d fired,"
                            + " %d escalated, %d resolved%n", answer.path("rule").path("ruleId").asText(),
                    answer.path("recordsRead").asLong(), answer.path("reportsMatched").asLong(),
                    answer.path("undecodable").asLong(), answer.path("fired").asInt(),
                    answer.path("escalated").asInt(), answer.path("resolved").asInt());
            final Table table = new Table("TIME (UTC)", "STATUS", "REGION", "THREAT TYPE", "VALUE", "THRESHOLD",
                    "SEVERITY", "WINDOW START", "REASON");
            for (final JsonNode change : answer.path("changes")) {
                table.row(change.path("updatedAt").asText(), change.path("status").asText(),
                        change.path("region").asText(), change.path("threatType").asText(),
                        Table.number(change.path("observedValue")), Table.number(change.path("threshold")),
                        change.path("severity").asText(), change.path("windowStart").asText(),
                        change.path("reason").asText(""));
            }
            table.print(System.out, "The rule would not have fired.");
            return 0;
        }
    }

    /** A flag for every AlertRule field; only the flags given are sent (or changed, for update). */
    static final class RuleOptions {

        @Option(names = "--id", description = "Rule id: lower case letters, digits, '.', '_', '-' (create:"
                + " generated when absent)")
        String id;

        @Option(names = "--name", description = "What the rule watches, for people")
        String name;

        @Option(names = "--region", description = "TJ-KT, TJ-* (every region of a country), * (every region), or"
                + " TJ (the country roll-up)")
        String region;

        @Option(names = "--threat-type", description = "A threat type, or 'any' for every type")
        String threatType;

        @Option(names = "--window", description = "A configured window: PT1H, PT24H, P7D")
        String window;

        @Option(names = "--metric", description = "EVENT_COUNT, SEIZURE_KG or SEVERITY_SCORE")
        String metric;

        @Option(names = "--threshold", description = "Fires when the current window reaches it")
        Double threshold;

        @Option(names = "--resolve-threshold", description = "Resolves when the value falls below it (default:"
                + " the threshold)")
        Double resolveThreshold;

        @Option(names = "--severity", description = "LOW, MEDIUM, HIGH or CRITICAL")
        String severity;

        @Option(names = "--escalation", paramLabel = "THRESHOLD:SEVERITY", converter = TierConverter.class,
                description = "A higher tier, e.g. 6:CRITICAL; repeat for more; replaces the rule's tiers")
        List<Tier> escalations;

        @Option(names = "--no-escalations", description = "Remove every escalation tier")
        boolean noEscalations;

        @Option(names = "--enabled", negatable = true, description = "Whether the rule is evaluated (default: yes)")
        Boolean enabled;

        /** Sets the given fields on {@code rule}. */
        ObjectNode applyTo(final ObjectNode rule) {
            put(rule, "ruleId", id);
            put(rule, "name", name);
            put(rule, "region", region);
            if (threatType != null) {
                if ("any".equalsIgnoreCase(threatType) || threatType.isBlank()) {
                    rule.putNull("threatType");
                } else {
                    rule.put("threatType", threatType.strip().toUpperCase(java.util.Locale.ROOT));
                }
            }
            put(rule, "window", window == null ? null : window.toUpperCase(java.util.Locale.ROOT));
            put(rule, "metric", metric == null ? null : metric.toUpperCase(java.util.Locale.ROOT));
            if (threshold != null) {
                rule.put("threshold", threshold);
            }
            if (resolveThreshold != null) {
                rule.put("resolveThreshold", resolveThreshold);
            }
            put(rule, "severity", severity == null ? null : severity.toUpperCase(java.util.Locale.ROOT));
            if (noEscalations) {
                rule.putArray("escalations");
            }
            if (escalations != null) {
                final ArrayNode tiers = rule.putArray("escalations");
                escalations.forEach(tier -> tiers.addObject().put("threshold", tier.threshold())
                        .put("severity", tier.severity()));
            }
            if (enabled != null) {
                rule.put("enabled", enabled);
            }
            return rule;
        }

        private static void put(final ObjectNode rule, final String field, final String value) {
            if (value != null) {
                rule.put(field, value.strip());
            }
        }
    }

    /** One {@code --escalation}: a threshold and the severity the breach escalates to. */
    record Tier(double threshold, String severity) {
    }

    /** Reads {@code 6:CRITICAL}; picocli reports a malformed value with the option's name. */
    static final class TierConverter implements CommandLine.ITypeConverter<Tier> {
        @Override
        public Tier convert(final String value) {
            final int colon = value.indexOf(':');
            if (colon < 0) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not THRESHOLD:SEVERITY, as in 6:CRITICAL");
            }
            try {
                return new Tier(Double.parseDouble(value.substring(0, colon).strip()),
                        value.substring(colon + 1).strip().toUpperCase(java.util.Locale.ROOT));
            } catch (final NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value.substring(0, colon)
                        + "' is not a number; write THRESHOLD:SEVERITY, as in 6:CRITICAL");
            }
        }
    }

    private static int printRule(final ApiResponse response, final ApiOptions api, final String done) {
        if (!response.ok()) {
            return response.report(System.err);
        }
        if (api.json) {
            System.out.println(response.body());
            return 0;
        }
        final JsonNode rule = response.json();
        System.out.printf("%s rule %s: %s, %s %s in %s %s >= %s (resolves below %s), %s%s%s%n", done,
                rule.path("ruleId").asText(), rule.path("name").asText(), rule.path("threatType").asText("any type"),
                rule.path("region").asText(), rule.path("window").asText(), rule.path("metric").asText(),
                Table.number(rule.path("threshold")), Table.number(rule.path("resolveThreshold")),
                rule.path("severity").asText(), rule.path("escalations").isEmpty() ? ""
                        : ", escalates at " + escalations(rule),
                rule.path("enabled").asBoolean(true) ? "" : " (disabled)");
        return 0;
    }

    private static String escalations(final JsonNode rule) {
        final List<String> tiers = new ArrayList<>();
        for (final JsonNode tier : rule.path("escalations")) {
            tiers.add(Table.number(tier.path("threshold")) + ":" + tier.path("severity").asText());
        }
        return String.join(",", tiers);
    }
}
