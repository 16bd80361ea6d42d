package org.borderwatch.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.borderwatch.credentials.CredentialsWriter.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsWriterTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteDigestsAndQuotedTextWhenGivenPrincipals() {
        final String yaml = CredentialsWriter.yaml(List.of(
                Entry.agency("tj-border-guard", "TJ-BORDER-GUARD", "test", "TJ-*"),
                Entry.opsCenter("ops \"dushanbe\"", "other", "TJ-*", "AF-BDS")));

        assertThat(yaml).isEqualTo("""
                # borderwatch credentials: SHA-256 digests of API keys, never the keys.
                credentials:
                  - name: "tj-border-guard"
                    key-sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
                    role: agency
                    agency-id: "TJ-BORDER-GUARD"
                    regions: ["TJ-*"]
                  - name: "ops \\"dushanbe\\""
                    key-sha256: %s
                    role: ops-center
                    regions: ["TJ-*", "AF-BDS"]
                """.formatted(ApiKeys.sha256Hex("other")));
        assertThat(yaml).doesNotContain("test\"", "other\"");
    }

    @Test
    void shouldWriteAnOwnerOnlyFileWhenWritingToDisk() throws Exception {
        final Path file = CredentialsWriter.write(dir.resolve("sub/credentials.yml"),
                List.of(Entry.admin("root", ApiKeys.generate(), "*")));

        assertThat(Files.readString(file)).contains("role: admin", "regions: [\"*\"]");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void shouldRefuseWhenAnEntryIsInconsistent() {
        assertThatThrownBy(() -> new Entry("x", "analyst", "TJ-BG", List.of("*"), ApiKeys.sha256Hex("k")))
                .hasMessageContaining("agency-id");
        assertThatThrownBy(() -> new Entry("x", "agency", null, List.of("*"), ApiKeys.sha256Hex("k")))
                .hasMessageContaining("agency-id");
        assertThatThrownBy(() -> new Entry("x", "admin", null, List.of(), ApiKeys.sha256Hex("k")))
                .hasMessageContaining("region");
        assertThatThrownBy(() -> new Entry("x", "admin", null, List.of("*"), "bw_plain-key"))
                .hasMessageContaining("64 lower-case hex");
        assertThatThrownBy(() -> CredentialsWriter.yaml(List.of(Entry.admin("a\nb", "k", "*"))))
                .hasMessageContaining("control character");
    }
}
