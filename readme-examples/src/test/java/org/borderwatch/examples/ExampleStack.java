package org.borderwatch.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.borderwatch.cli.dev.DemoCredentials;
import org.borderwatch.cli.dev.DevStack;
import org.borderwatch.launcher.Service;

/**
 * The stack the READMEs are written for: {@link DevStack}, the very stack {@code ./borderwatch dev} runs (embedded
 * broker, the packaged services with the demo rules, the demo credentials), on free ports instead of the default
 * ones. {@link #environment()} is what a reader has after sourcing the {@code demo-keys.env} that {@code dev}
 * writes (the {@code export} lines it prints), plus the CLI's URL variables; {@link #rewrite} moves the READMEs'
 * default addresses (127.0.0.1:8081/8082/8083/9092) to this stack's, so CI needs none of those ports free.
 */
final class ExampleStack implements AutoCloseable {

    private static final Pattern EXPORT = Pattern.compile("^export ([A-Z0-9_]+)=(.*)$");

    private final DevStack stack;
    private final PrintStream log;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();

    ExampleStack(final Path root, final Path dir) throws IOException {
        DemoCredentials.ensure(dir);
        final Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (final Service service : Service.values()) {
            ports.put(service, freePort());
        }
        log = new PrintStream(Files.newOutputStream(dir.resolve("dev-stack.log")), true, StandardCharsets.UTF_8);
        stack = DevStack.start(new DevStack.Options(root, dir, 0, ports, DemoCredentials.credentialsFile(dir),
                DevStack.WINDOWS), log);
        for (final Service service : Service.values()) {
            addresses.put("127.0.0.1:" + service.defaultPort(), "127.0.0.1:" + ports.get(service));
            environment.put("BORDERWATCH_" + service.name() + "_URL", stack.url(service));
        }
        addresses.put("127.0.0.1:9092", stack.bootstrapServers());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        for (final String line : Files.readAllLines(dir.resolve("demo-keys.env"), StandardCharsets.UTF_8)) {
            final Matcher export = EXPORT.matcher(line.strip());
            if (export.matches()) {
                environment.put(export.group(1), unquote(export.group(2)));
            }
        }
        if (!environment.containsKey("BORDERWATCH_API_KEY") || !environment.containsKey("ADMIN_KEY")) {
            throw new IllegalStateException("demo-keys.env lacks BORDERWATCH_API_KEY or ADMIN_KEY: " + environment
                    .keySet());
        }
        // The services are packaged by this very build; ./borderwatch must not start another one.
        environment.put("BORDERWATCH_NO_BUILD", "1");
    }

    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** The example's text with the default addresses replaced by this stack's. */
    String rewrite(final String code) {
        String rewritten = code;
        for (final Map.Entry<String, String> address : addresses.entrySet()) {
            rewritten = rewritten.replace(address.getKey(), address.getValue());
        }
        return rewritten;
    }

    private static String unquote(final String value) {
        final String text = value.strip();
        return text.length() >= 2 && (text.startsWith("'") && text.endsWith("'")
                || text.startsWith("\"") && text.endsWith("\"")) ? text.substring(1, text.length() - 1) : text;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    @Override
    public void close() {
        stack.close();
        log.close();
    }
}
