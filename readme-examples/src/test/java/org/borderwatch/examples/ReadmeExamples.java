package org.borderwatch.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds every README.md of the repository and reads its fenced {@code bash} blocks, with the annotation each may
 * carry on the line before its fence:
 *
 * <pre>
 * &lt;!-- example: background; expect "event: alert"; within 60 s --&gt;      run in the background, meanwhile run
 *                                  the README's next blocks; the expected text must appear within 60 s
 * &lt;!-- example: covered by PublishAndTailTest --&gt;   a test class (or a repository file, e.g. .ci/run) runs it
 * &lt;!-- example: replace "--events 1000000" with "--events 2000" --&gt;   run it with this change
 * &lt;!-- example: within 300 s --&gt;   a longer bound than the default 120 s
 * &lt;!-- example: output of the background example above --&gt;  on a plain block: the text the last background
 *                                  block must show
 * </pre>
 *
 * A block without annotation is run as it is. A malformed annotation, or a "covered by" naming nothing that exists,
 * is an error: no example can be skipped by accident.
 */
final class ReadmeExamples {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([A-Za-z0-9_-]*)\\s*$");
    private static final Pattern ANNOTATION = Pattern.compile("^\\s*<!--\\s*example:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'");
    private static final Pattern WITHIN = Pattern.compile("within\\s+(\\d+)\\s*s");
    private static final Pattern REPLACE = Pattern.compile("replace\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*')\\s+with\\s+"
            + "(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*')");
    /** Commands that would build inside the build, bind the default ports or need a Docker engine. */
    private static final List<String> NOT_HERE = List.of("mvn ", "./mvnw ", "./borderwatch dev",
            "./borderwatch --rebuild", "docker ", "docker-compose ");
    private static final String OUTPUT_OF_BACKGROUND = "output of the background example above";

    private final Path root;

    ReadmeExamples(final Path root) {
        this.root = root;
    }

    /** The repository root: {@code borderwatch.repository.root}, else the parent of the working directory. */
    static Path repositoryRoot() {
        final String property = System.getProperty("borderwatch.repository.root");
        return (property != null ? Path.of(property) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** Every README.md outside build output and state folders: the root one first, then by path. */
    List<Path> readmes() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().equals("README.md"))
                    .map(root::relativize)
                    .filter(file -> {
                        final String path = file.toString();
                        return !path.contains("target/") && !path.startsWith(".") && !path.contains("/.")
                                && !path.contains("node_modules/");
                    })
                    .sorted(Comparator.comparing((Path file) -> file.getNameCount()).thenComparing(Path::toString))
                    .toList();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bash examples of one README, in order; plain blocks marked as background output fold into those. */
    List<Example> examples(final Path readme) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(readme), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final List<Example> examples = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            final Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                i++;
                continue;
            }
            final int start = i;
            final StringBuilder code = new StringBuilder();
            i++;
            while (i < lines.size() && !lines.get(i).strip().equals("```")) {
                code.append(lines.get(i).substring(Math.min(open.group(1).length(),
                        lines.get(i).length() - lines.get(i).stripLeading().length()))).append('\n');
                i++;
            }
            if (i == lines.size()) {
                throw new IllegalArgumentException(readme + ":" + (start + 1) + ": fence never closed");
            }
            i++;
            final String annotation = annotation(lines, start);
            final String language = open.group(2);
            if (OUTPUT_OF_BACKGROUND.equals(annotation)) {
                final Example background = examples.stream().filter(e -> e.how().background())
                        .reduce((a, b) -> b).orElseThrow(() -> new IllegalArgumentException(readme + ":"
                                + (start + 1) + ": \"" + OUTPUT_OF_BACKGROUND + "\" but no background example above"));
                final List<String> expected = new ArrayList<>(background.expected());
                code.toString().lines().filter(line -> !line.isBlank()).forEach(expected::add);
                examples.set(examples.indexOf(background), new Example(background.readme(), background.line(),
                        background.code(), background.how(), expected));
                continue;
            }
            if (!language.equals("bash")) {
                if (annotation != null) {
                    throw new IllegalArgumentException(readme + ":" + (start + 1) + ": an example annotation on a"
                            + " block that is not bash");
                }
                continue;
            }
            final Example.How how = annotation == null ? Example.How.RUN : parse(annotation, readme, start + 1);
            final String refused = mustNotRunHere(code.toString());
            if (how.coveredBy() == null && refused != null) {
                throw new IllegalArgumentException(readme + ":" + (start + 1) + ": the example runs " + refused
                        + ", which cannot run inside the build (a build in the build, the default ports, a Docker"
                        + " engine): annotate it with <!-- example: covered by <the test or script that runs it> -->");
            }
            final List<String> expected = new ArrayList<>(outputComments(code.toString()));
            expected.addAll(how.expect());
            examples.add(new Example(readme, start + 1, code.toString(), how, expected));
        }
        return examples;
    }

    /** What in the example cannot run next to the test stack, or null. */
    static String mustNotRunHere(final String code) {
        for (final String line : code.lines().map(String::strip).toList()) {
            for (final String command : NOT_HERE) {
                if (line.startsWith(command)) {
                    return "'" + command.strip() + "'";
                }
            }
        }
        return null;
    }

    private static String annotation(final List<String> lines, final int fence) {
        for (int j = fence - 1; j >= 0; j--) {
            if (lines.get(j).isBlank()) {
                continue;
            }
            final Matcher matcher = ANNOTATION.matcher(lines.get(j));
            return matcher.matches() ? matcher.group(1) : null;
        }
        return null;
    }

    Example.How parse(final String annotation, final Path readme, final int line) {
        boolean background = false;
        int within = Example.How.DEFAULT_SECONDS;
        String coveredBy = null;
        final List<String[]> replacements = new ArrayList<>();
        final List<String> expect = new ArrayList<>();
        for (final String raw : splitClauses(annotation)) {
            final String clause = raw.strip();
            final Matcher withinMatcher = WITHIN.matcher(clause);
            final Matcher replaceMatcher = REPLACE.matcher(clause);
            if (clause.equals("background")) {
                background = true;
            } else if (withinMatcher.matches()) {
                within = Integer.parseInt(withinMatcher.group(1));
            } else if (clause.startsWith("expect ")) {
                expect.add(unquote(clause.substring("expect ".length()).strip(), readme, line));
            } else if (replaceMatcher.matches()) {
                replacements.add(new String[] {unquote(replaceMatcher.group(1), readme, line),
                        unquote(replaceMatcher.group(2), readme, line)});
            } else if (clause.startsWith("covered by ")) {
                coveredBy = clause.substring("covered by ".length()).strip();
                if (!covers(coveredBy)) {
                    throw new IllegalArgumentException(readme + ":" + line + ": covered by '" + coveredBy
                            + "', but no test class of that name (src/test/java/**/" + coveredBy
                            + ".java) nor file exists in the repository");
                }
            } else {
                throw new IllegalArgumentException(readme + ":" + line + ": unknown example clause '" + clause
                        + "'; use background, expect \"TEXT\", within N s, replace \"A\" with \"B\" or covered by"
                        + " NAME (see the root README, Testing)");
            }
        }
        if (background && expect.isEmpty()) {
            throw new IllegalArgumentException(readme + ":" + line + ": a background example needs an expect"
                    + " clause, or it proves nothing");
        }
        return new Example.How(background, within, coveredBy, replacements, expect);
    }

    /** Clauses are separated by ';' outside quotes. */
    private static List<String> splitClauses(final String annotation) {
        final List<String> clauses = new ArrayList<>();
        final StringBuilder clause = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < annotation.length(); i++) {
            final char c = annotation.charAt(i);
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (quote != 0 && c == '\\' && quote == '"' && i + 1 < annotation.length()) {
                clause.append(c).append(annotation.charAt(++i));
                continue;
            } else if (c == quote) {
                quote = 0;
            } else if (quote == 0 && c == ';') {
                clauses.add(clause.toString());
                clause.setLength(0);
                continue;
            }
            clause.append(c);
        }
        if (!clause.toString().isBlank()) {
            clauses.add(clause.toString());
        }
        return clauses;
    }

    private static String unquote(final String text, final Path readme, final int line) {
        final Matcher matcher = QUOTED.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(readme + ":" + line + ": expected a quoted text, got " + text);
        }
        return matcher.group(1) != null ? matcher.group(1).replaceAll("\\\\(.)", "$1") : matcher.group(2);
    }

    /** A test class of that simple name, or a file of that path, exists in the repository. */
    boolean covers(final String name) {
        if (name.contains("/") || name.contains(".")) {
            return Files.exists(root.resolve(name.split("\\s+")[0]));
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(file -> file.getFileName().toString().equals(name + ".java")
                    && file.toString().contains("/src/test/java/"));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Comment lines right after a command (no blank line between) are the output it prints; a comment after a
     * blank line, or at the start, describes the next command.
     */
    static List<String> outputComments(final String code) {
        final List<String> expected = new ArrayList<>();
        boolean afterCommand = false;
        for (final String line : code.lines().toList()) {
            final String stripped = line.strip();
            if (stripped.isEmpty()) {
                afterCommand = false;
            } else if (stripped.startsWith("#")) {
                if (afterCommand) {
                    final String text = stripped.substring(1).strip();
                    if (!text.isEmpty()) {
                        expected.add(text);
                    }
                }
            } else {
                afterCommand = true;
            }
        }
        return expected;
    }
}
