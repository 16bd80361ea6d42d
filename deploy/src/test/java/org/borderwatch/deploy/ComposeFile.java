package org.borderwatch.deploy;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml as data (YAML anchors and merge keys resolved), with what the tests need from it. */
final class ComposeFile {

    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)}");

    private final Map<String, Object> compose;

    private ComposeFile(final Map<String, Object> compose) {
        this.compose = compose;
    }

    static ComposeFile load(final Path repositoryRoot) {
        try (Reader reader = Files.newBufferedReader(repositoryRoot.resolve("docker-compose.yml"),
                StandardCharsets.UTF_8)) {
            return new ComposeFile(new Yaml().load(reader));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read docker-compose.yml", e);
        }
    }

    /** The compose service of a service's first instance: {@code ingest}, {@code aggregator-1}, {@code alert-1}. */
    static String firstInstance(final String service) {
        return service.equals("ingest") ? service : service + "-1";
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    Map<String, Object> service(final String name) {
        final Map<String, Object> service = services().get(name);
        if (service == null) {
            throw new IllegalArgumentException("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The service's {@code image}, with {@code ${VAR:-default}} at its default. */
    String image(final String name) {
        final Matcher matcher = DEFAULTED.matcher((String) service(name).get("image"));
        return matcher.replaceAll(result -> Matcher.quoteReplacement(result.group(1)));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> environment(final String name) {
        return (Map<String, Object>) service(name).get("environment");
    }

    /**
     * The service's health check command ({@code test} without {@code CMD}), aimed at {@code port} instead of the
     * container's {@code containerPort}, to run on this host.
     */
    @SuppressWarnings("unchecked")
    List<String> healthCheck(final String name, final int containerPort, final int port) {
        final List<String> test = (List<String>) ((Map<String, Object>) service(name).get("healthcheck")).get("test");
        if (!"CMD".equals(test.get(0))) {
            throw new IllegalStateException(name + ": the health check is not in exec form: " + test);
        }
        final List<String> command = new ArrayList<>();
        for (final String arg : test.subList(1, test.size())) {
            command.add(arg.replace("/127.0.0.1/" + containerPort, "/127.0.0.1/" + port));
        }
        return command;
    }
}
