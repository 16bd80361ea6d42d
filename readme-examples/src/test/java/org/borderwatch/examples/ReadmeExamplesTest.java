package org.borderwatch.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's reading of READMEs, and that every README of the repository reads without error. */
class ReadmeExamplesTest {

    @TempDir
    Path repo;

    @Test
    void shouldReadEveryReadmeOfTheRepositoryWhenItsAnnotationsAreValid() {
        final ReadmeExamples readmes = new ReadmeExamples(ReadmeExamples.repositoryRoot());

        assertThat(readmes.readmes()).contains(Path.of("README.md"), Path.of("cli", "README.md"));
        readmes.readmes().forEach(readmes::examples);
    }

    @Test
    void shouldTakeCommentLinesRightAfterACommandAsItsOutputWhenNoBlankLineSeparatesThem() {
        assertThat(ReadmeExamples.outputComments("""
                # describes the next command
                curl -i http://127.0.0.1:8081/health
                # HTTP/1.1 200 OK

                # the aggregator, tuned
                java -cp x Main \\
                  --flag
                """)).containsExactly("HTTP/1.1 200 OK");
    }

    @Test
    void shouldMatchPlaceholdersAndIgnoreWhitespaceWhenComparingOutput() {
        final String output = "HTTP/1.1 202 Accepted\r\ncontent-type: x\r\n\r\n{\"eventId\":\"a-b\",\"topic\":"
                + "\"border.incidents.v1\",\"partition\":3}";

        assertThat(Example.shows(output, "HTTP/1.1 202 Accepted")).isTrue();
        assertThat(Example.shows(output, "{\"eventId\": \"…\", \"topic\": \"border.incidents.v1\", ...}")).isTrue();
        assertThat(Example.shows(output, "{\"eventId\": \"…\", \"topic\": \"border.seizures.v1\", ...}")).isFalse();
        assertThat(Example.shows("HTTP/1.1 404 Not Found", "HTTP/1.1 202 Accepted")).isFalse();
    }

    @Test
    void shouldRefuseAnUnknownClauseWhenAnAnnotationHasOne() throws Exception {
        Files.writeString(repo.resolve("README.md"), """
                <!-- example: skip it -->
                ```bash
                echo hi
                ```
                """);

        assertThatThrownBy(() -> new ReadmeExamples(repo).examples(Path.of("README.md")))
                .hasMessageContaining("README.md:2: unknown example clause 'skip it'");
    }

    @Test
    void shouldRefuseAMavenBuildWhenItIsNotCoveredElsewhere() throws Exception {
        Files.writeString(repo.resolve("README.md"), """
                ```bash
                mvn -DskipTests package
                ```
                """);

        assertThatThrownBy(() -> new ReadmeExamples(repo).examples(Path.of("README.md")))
                .hasMessageContaining("README.md:1: the example runs 'mvn'");
    }

    @Test
    void shouldRefuseCoveredByWhenNoSuchTestExists() throws Exception {
        Files.writeString(repo.resolve("README.md"), """
                <!-- example: covered by NoSuchTest -->
                ```bash
                echo hi
                ```
                """);

        assertThatThrownBy(() -> new ReadmeExamples(repo).examples(Path.of("README.md")))
                .hasMessageContaining("covered by 'NoSuchTest'");
    }

    @Test
    void shouldFoldAnOutputBlockIntoTheBackgroundExampleAboveWhenAnnotatedSo() throws Exception {
        Files.writeString(repo.resolve("README.md"), """
                <!-- example: background; expect "open"; within 5 s -->
                ```bash
                curl -N http://127.0.0.1:8083/v1/alerts/stream
                ```

                <!-- example: output of the background example above -->
                ```
                event: alert
                ```
                """);

        final var examples = new ReadmeExamples(repo).examples(Path.of("README.md"));

        assertThat(examples).hasSize(1);
        assertThat(examples.get(0).how().background()).isTrue();
        assertThat(examples.get(0).how().withinSeconds()).isEqualTo(5);
        assertThat(examples.get(0).expected()).containsExactly("open", "event: alert");
    }
}
