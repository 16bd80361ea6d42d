package org.borderwatch.deploy;

import org.borderwatch.kafka.access.AccessPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml runs the Jib images as the access policy's principals, scaled out, with no secret in it. */
class ComposeFileTest {

    private static final Path ROOT = Path.of(System.getProperty("borderwatch.repository.root", "..")).normalize();
    private static final Map<String, String> PRINCIPALS = Map.of(
            "ingest", AccessPolicy.INGEST, "aggregator", AccessPolicy.AGGREGATOR, "alert", AccessPolicy.ALERT);

    private final ComposeFile compose = ComposeFile.load(ROOT);

    @Test
    void shouldRunEachServiceImageAsItsOwnPrincipalWhenComposeStartsIt() {
        final Map<String, String> images = serviceImages();
        assertThat(images.values()).containsOnly("ingest", "aggregator", "alert");

        images.forEach((name, service) -> {
            assertThat(compose.service(name)).as(name).doesNotContainKey("build");
            final String jaas = (String) compose.environment(name).get("KAFKA_SASL_JAAS_CONFIG");
            final String principal = PRINCIPALS.get(service);
            assertThat(jaas).as(name)
                    .contains("username=\"" + principal + "\"")
                    .contains("password=\"${BORDERWATCH_KAFKA_PASSWORD_" + principal.toUpperCase() + ":?");
            assertThat(compose.healthCheck(name, 0, 0)).as(name)
                    .anyMatch(arg -> arg.contains("GET /health/readiness "));
        });
    }

    @Test
    void shouldRunTwoAggregatorsAndTwoAlertInstancesWhenComposeStartsThem() {
        final Map<String, String> images = serviceImages();
        final List<String> aggregators = instancesOf(images, "aggregator");
        final List<String> alerts = instancesOf(images, "alert");

        assertThat(aggregators).hasSize(2);
        assertThat(alerts).hasSize(2);
        // Queries are forwarded to the owner of a key: each aggregator names itself, reachable by its host name.
        for (final String aggregator : aggregators) {
            assertThat(compose.environment(aggregator))
                    .containsEntry("BORDERWATCH_AGGREGATOR_APPLICATION_SERVER",
                            compose.service(aggregator).get("hostname") + ":8082")
                    .containsEntry("KAFKA_STREAMS_NUM_STANDBY_REPLICAS", "1");
        }
        assertThat(aggregators.stream().map(name -> compose.service(name).get("volumes").toString()))
                .doesNotHaveDuplicates();
        assertThat(images.keySet().stream().map(name -> compose.service(name).get("ports").toString()))
                .doesNotHaveDuplicates()
                .allMatch(ports -> ports.startsWith("[127.0.0.1:"));
    }

    @Test
    void shouldTakeEverySecretFromTheEnvironmentWhenTheFileIsCommitted() throws IOException {
        final String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        final String example = Files.readString(ROOT.resolve(".env.example"));

        final Set<String> variables = new TreeSet<>();
        final Matcher matcher = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(text);
        while (matcher.find()) {
            variables.add(matcher.group(1));
        }
        // .env.example documents every variable the file reads.
        assertThat(variables).isNotEmpty().allMatch(variable ->
                Pattern.compile("(?m)^#? ?" + variable + "=").matcher(example).find());
        // A password or key is never written into the file itself.
        final String withoutReferences = text.replaceAll("\\$\\{[^}]*}", "");
        final Pattern literal = Pattern.compile("(?i)(password|_keys?)[\"']?[ \t]*[:=][ \t]*[\"']?[^\\s\"']");
        assertThat(literal.matcher(withoutReferences).results().map(MatchResult::group).toList())
                .isEmpty();
    }

    /** compose service name -> service, for every service running one of the project's images. */
    private Map<String, String> serviceImages() {
        return compose.services().keySet().stream()
                .filter(name -> String.valueOf(compose.services().get(name).get("image")).startsWith("borderwatch/"))
                .collect(Collectors.toMap(name -> name,
                        name -> compose.image(name).replaceAll("^borderwatch/([a-z]+):.*$", "$1")));
    }

    private static List<String> instancesOf(final Map<String, String> images, final String service) {
        return images.entrySet().stream().filter(entry -> entry.getValue().equals(service))
                .map(Map.Entry::getKey).sorted().toList();
    }
}
