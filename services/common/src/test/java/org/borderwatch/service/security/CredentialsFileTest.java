package org.borderwatch.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

    private static final String DIGEST = ApiKeys.sha256Hex("test");

    @Test
    void shouldReadBackEveryPrincipalWhenTheSharedWriterWroteTheFile() {
        final List<Credential> credentials = CredentialsFile.parse(CredentialsWriter.yaml(List.of(
                CredentialsWriter.Entry.agency("tj-border-guard", "TJ-BORDER-GUARD", "test", "TJ-*"),
                CredentialsWriter.Entry.opsCenter("ops", "o", "TJ-*", "AF-BDS"),
                CredentialsWriter.Entry.analyst("yes", "a", "TJ-KT"),
                CredentialsWriter.Entry.admin("root", "r", "*"))), "written");

        assertThat(credentials).extracting(Credential::principal).containsExactly(
                new BorderwatchPrincipal("tj-border-guard", Role.AGENCY, "TJ-BORDER-GUARD", List.of("TJ-*")),
                new BorderwatchPrincipal("ops", Role.OPS_CENTER, null, List.of("TJ-*", "AF-BDS")),
                new BorderwatchPrincipal("yes", Role.ANALYST, null, List.of("TJ-KT")),
                new BorderwatchPrincipal("root", Role.ADMIN, null, List.of("*")));
        assertThat(credentials.get(0).matches(ApiKeys.sha256("test"))).isTrue();
    }

    @Test
    void shouldReadEveryFieldWhenTheFileIsValid() {
        final List<Credential> credentials = CredentialsFile.parse("""
                credentials:
                  - name: tj-border-guard
                    key-sha256: %s   # SHA-256 of the key
                    role: agency
                    agency-id: TJ-BORDER-GUARD
                    regions: ["TJ-*"]
                  - name: ops
                    key-sha256: %s
                    role: ops-center
                    regions: [TJ-KT, UZ-SU]
                """.formatted(DIGEST, ApiKeys.sha256Hex("other")), "test");

        assertThat(credentials).hasSize(2);
        assertThat(credentials.get(0).principal())
                .isEqualTo(new BorderwatchPrincipal("tj-border-guard", Role.AGENCY, "TJ-BORDER-GUARD", List.of("TJ-*")));
        assertThat(credentials.get(0).matches(ApiKeys.sha256("test"))).isTrue();
        assertThat(credentials.get(1).principal())
                .isEqualTo(new BorderwatchPrincipal("ops", Role.OPS_CENTER, null, List.of("TJ-KT", "UZ-SU")));
    }

    @Test
    void shouldNameThePathWhenTheFileIsMissing(@TempDir final Path dir) {
        assertThatThrownBy(() -> CredentialsFile.read(dir.resolve("nope.yml")))
                .isInstanceOf(InvalidCredentialsException.class)
                .hasMessageContaining("nope.yml").hasMessageContaining("does not exist");
    }

    @Test
    void shouldReadAFileFromDiskWhenItExists(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("credentials.yml");
        Files.writeString(file, entry("admin", "admin", null, "[\"*\"]"));
        assertThat(CredentialsFile.read(file)).singleElement()
                .satisfies(credential -> assertThat(credential.principal().role()).isEqualTo(Role.ADMIN));
    }

    @Test
    void shouldRefuseWhenTheYamlIsMalformed() {
        assertRefused("credentials: [ {name: x", "not valid YAML");
    }

    @Test
    void shouldRefuseWhenTheCredentialsListIsMissingOrEmpty() {
        assertRefused("users: []", "list 'credentials'");
        assertRefused("credentials: []", "lists no credentials");
    }

    @Test
    void shouldRefuseWhenAnEntryHasAnUnknownKey() {
        assertRefused("""
                credentials:
                  - name: x
                    key_sha256: %s
                    role: admin
                    regions: ["*"]
                """.formatted(DIGEST), "entry 1: unknown key 'key_sha256'");
    }

    @Test
    void shouldRefuseWhenTheDigestIsNotHexSha256() {
        assertRefused("""
                credentials:
                  - name: x
                    key-sha256: bw_this-is-a-key-not-a-digest
                    role: admin
                    regions: ["*"]
                """, "'key-sha256' must be 64 hex characters");
    }

    @Test
    void shouldRefuseWhenTheRoleIsUnknown() {
        assertRefused(entry("x", "superuser", null, "[\"*\"]"), "role 'superuser' is not one of");
    }

    @Test
    void shouldRefuseWhenAnAgencyHasNoAgencyId() {
        assertRefused(entry("x", "agency", null, "[\"TJ-*\"]"), "role agency needs 'agency-id'");
    }

    @Test
    void shouldRefuseWhenRegionsAreMissingOrMalformed() {
        assertRefused(entry("x", "analyst", null, "[]"), "'regions' must be a non-empty list");
        assertRefused(entry("x", "analyst", null, "[\"tj-kt\"]"), "region 'tj-kt' is not");
        assertRefused(entry("x", "analyst", null, "[\"TJ*\"]"), "region 'TJ*' is not");
    }

    @Test
    void shouldRefuseWhenANameOrAKeyIsUsedTwice() {
        assertRefused("""
                credentials:
                  - {name: a, key-sha256: %s, role: admin, regions: ["*"]}
                  - {name: a, key-sha256: %s, role: admin, regions: ["*"]}
                """.formatted(DIGEST, ApiKeys.sha256Hex("other")), "name 'a' is used twice");
        assertRefused("""
                credentials:
                  - {name: a, key-sha256: %s, role: admin, regions: ["*"]}
                  - {name: b, key-sha256: %s, role: admin, regions: ["*"]}
                """.formatted(DIGEST, DIGEST.toUpperCase()), "the same key is already given");
    }

    private static String entry(final String name, final String role, final String agencyId, final String regions) {
        return "credentials:\n  - name: " + name + "\n    key-sha256: " + DIGEST + "\n    role: " + role + "\n"
                + (agencyId == null ? "" : "    agency-id: " + agencyId + "\n") + "    regions: " + regions + "\n";
    }

    private static void assertRefused(final String yaml, final String message) {
        assertThatThrownBy(() -> CredentialsFile.parse(yaml, "creds.yml"))
                .isInstanceOf(InvalidCredentialsException.class)
                .hasMessageContaining("creds.yml")
                .hasMessageContaining(message);
    }
}
