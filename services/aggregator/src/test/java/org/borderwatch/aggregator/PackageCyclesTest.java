package org.borderwatch.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

/**
 * The aggregator reads top-down: no package depends, directly or through others, on a package that depends on it.
 * The dependencies are the compiled classes' own, as the JDK's {@code jdeps} reports them, so an import, a fully
 * qualified name or a constant all count.
 */
class PackageCyclesTest {

    private static final String ROOT = "org.borderwatch.aggregator";
    private static final Pattern EDGE = Pattern.compile(
            "^\\s+(" + Pattern.quote(ROOT) + "[\\w.]*)\\s+->\\s+(" + Pattern.quote(ROOT) + "[\\w.]*)\\s");

    @Test
    void shouldHaveNoPackageCycleWhenReadingTheCompiledAggregator() throws URISyntaxException {
        final Map<String, Set<String>> graph = dependencies(mainClasses());

        assertThat(graph).as("jdeps found the aggregator's packages").containsKeys(ROOT, ROOT + ".region");
        assertThat(cycles(graph)).as("package cycles (each a set of packages that depend on each other)").isEmpty();
    }

    @Test
    void shouldFindACycleWhenTwoPackagesDependOnEachOther() {
        final Map<String, Set<String>> graph = new TreeMap<>(Map.of(
                "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));

        assertThat(cycles(graph)).containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
    }

    private static Path mainClasses() throws URISyntaxException {
        return Path.of(AggregatorTopology.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Package → the aggregator packages its classes use, from {@code jdeps -verbose:package}. */
    private static Map<String, Set<String>> dependencies(final Path classes) {
        final ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        final StringWriter out = new StringWriter();
        final int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package",
                classes.toString());
        assertThat(exit).as("jdeps exit code; output:%n%s", out).isZero();
        final Map<String, Set<String>> graph = new TreeMap<>();
        for (final String line : out.toString().split("\\R")) {
            final Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                graph.computeIfAbsent(edge.group(1), ignored -> new TreeSet<>()).add(edge.group(2));
            }
        }
        return graph;
    }

    /** Strongly connected components of more than one package (Tarjan). */
    private static List<Set<String>> cycles(final Map<String, Set<String>> graph) {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final List<Set<String>> cycles = new ArrayList<>();
        for (final String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, cycles);
            }
        }
        return cycles;
    }

    private static void connect(final String node, final Map<String, Set<String>> graph,
                                final Map<String, Integer> index, final Map<String, Integer> low,
                                final Deque<String> stack, final List<Set<String>> cycles) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (final String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, cycles);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            final Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }
}
