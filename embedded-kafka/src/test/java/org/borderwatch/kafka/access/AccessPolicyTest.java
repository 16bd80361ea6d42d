package org.borderwatch.kafka.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    /** Surefire runs in the module directory; the services' configuration is next to it. */
    private static final Path SERVICES = Path.of("..", "services");

    @Test
    void shouldOwnThePrefixesOfTheServicesConfiguredIdsWhenDefaultsAreUsed() throws IOException {
        assertThat(setting("aggregator", "application-id")).startsWith(AccessPolicy.AGGREGATOR_PREFIX);
        assertThat(setting("alert", "lifecycle-application-id")).startsWith(AccessPolicy.ALERT_PREFIX);
        assertThat(setting("alert", "group-id")).startsWith(AccessPolicy.ALERT_PREFIX);
        // One prefix must not cover the other service's ids.
        assertThat(AccessPolicy.AGGREGATOR_PREFIX).doesNotStartWith(AccessPolicy.ALERT_PREFIX);
        assertThat(AccessPolicy.ALERT_PREFIX).doesNotStartWith(AccessPolicy.AGGREGATOR_PREFIX);
    }

    @Test
    void shouldLetIngestWriteOnlyTheTwoInputTopicsWhenPolicyIsBorderwatch() {
        assertThat(bindings(AccessPolicy.INGEST)).extracting(b -> b.pattern().resourceType() + " "
                        + b.pattern().patternType() + " " + b.pattern().name() + " " + b.entry().operation())
                .containsExactlyInAnyOrder(
                        "TOPIC LITERAL " + Topics.INCIDENTS.name() + " WRITE",
                        "TOPIC LITERAL " + Topics.SEIZURES.name() + " WRITE",
                        "CLUSTER LITERAL kafka-cluster IDEMPOTENT_WRITE");
    }

    @Test
    void shouldGiveTheEngineerOnlyReadsWhenPolicyIsBorderwatch() {
        assertThat(bindings(AccessPolicy.ENGINEER)).extracting(b -> b.entry().operation())
                .containsOnly(AclOperation.READ);
        assertThat(bindings(AccessPolicy.ENGINEER)).filteredOn(b -> b.pattern().resourceType() == ResourceType.TOPIC)
                .extracting(b -> b.pattern().name())
                .containsExactlyInAnyOrder(Topics.THREAT_AGGREGATES.name(), Topics.BREACHES.name(),
                        Topics.ALERTS.name());
    }

    @Test
    void shouldGrantAllOnlyOnOwnPrefixesWhenPolicyIsBorderwatch() {
        assertThat(AccessPolicy.BORDERWATCH.aclBindings())
                .filteredOn(b -> b.entry().operation() == AclOperation.ALL)
                .allSatisfy(b -> {
                    assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
                    assertThat(b.pattern().name()).isIn(AccessPolicy.AGGREGATOR_PREFIX, AccessPolicy.ALERT_PREFIX);
                });
        // Every registered topic has a writer, and nobody but its writers and the engineers reads what it must not.
        assertThat(AccessPolicy.BORDERWATCH.aclBindings())
                .filteredOn(b -> b.entry().operation() == AclOperation.WRITE)
                .extracting(b -> b.pattern().name())
                .containsAll(Topics.ALL.stream().map(Topic::name).toList());
        assertThat(bindings(AccessPolicy.ENGINEER)).noneMatch(b -> b.pattern().name()
                .equals(Topics.SUBSCRIPTIONS.name()));
    }

    @Test
    void shouldGrantEveryServiceTheTopicsItsCodeUsesWhenPolicyIsBorderwatch() throws Exception {
        // A topic a service's main code names (Topics.X) without a grant would fail in production only.
        for (final String service : List.of(AccessPolicy.INGEST, AccessPolicy.AGGREGATOR, AccessPolicy.ALERT)) {
            final Set<String> granted = bindings(service).stream()
                    .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC)
                    .map(b -> b.pattern().name())
                    .collect(Collectors.toSet());
            final Set<String> used = topicsUsedBy(service);
            assertThat(used).as(service + " uses topics").isNotEmpty();
            assertThat(granted).as(service + "'s grants").containsAll(used);
        }
    }

    /** The names of the registry's topics that {@code Topics.<FIELD>} references in a service's main sources name. */
    private static Set<String> topicsUsedBy(final String service) throws IOException {
        final Pattern reference = Pattern.compile("Topics\\.([A-Z_]+)\\b");
        final Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SERVICES.resolve(service).resolve("src/main/java"))) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                final Matcher matcher = reference.matcher(Files.readString(file));
                while (matcher.find()) {
                    final Object field = field(matcher.group(1));
                    if (field instanceof Topic<?, ?> topic) {
                        names.add(topic.name());
                    }
                }
            }
        }
        return names;
    }

    private static Object field(final String name) {
        try {
            return Topics.class.getField(name).get(null);
        } catch (final ReflectiveOperationException e) {
            return null;
        }
    }

    private static List<AclBinding> bindings(final String principal) {
        return AccessPolicy.BORDERWATCH.aclBindings().stream()
                .filter(b -> b.entry().principal().equals("User:" + principal))
                .toList();
    }

    /** The first {@code key: value} in a service's application.yml (these keys occur once each). */
    private static String setting(final String service, final String key) throws IOException {
        final String yaml = Files.readString(SERVICES.resolve(service).resolve("src/main/resources/application.yml"));
        final Matcher matcher = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + ":\\s*(\\S+)\\s*$").matcher(yaml);
        assertThat(matcher.find()).as(key + " in " + service + "'s application.yml").isTrue();
        return matcher.group(1);
    }
}
