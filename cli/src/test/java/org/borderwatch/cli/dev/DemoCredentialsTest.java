package org.borderwatch.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.borderwatch.credentials.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteDigestsAndExportLinesWhenStartedTheFirstTime() throws Exception {
        final List<DemoCredentials.DemoKey> keys = DemoCredentials.ensure(dir);

        assertThat(keys).extracting(DemoCredentials.DemoKey::variable).containsExactly("TJ_BORDER_GUARD_KEY",
                "UZ_CUSTOMS_KEY", "KG_DRUG_CONTROL_KEY", "TM_BORDER_SERVICE_KEY", "AF_BORDER_POLICE_KEY",
                "OPS_DUSHANBE_KEY", "OPS_TASHKENT_KEY", "ANALYST_KEY", "ADMIN_KEY");
        final String credentials = Files.readString(DemoCredentials.credentialsFile(dir));
        final String env = Files.readString(dir.resolve("demo-keys.env"));
        for (final DemoCredentials.DemoKey key : keys) {
            assertThat(credentials).contains(ApiKeys.sha256Hex(key.key())).doesNotContain(key.key());
            assertThat(env).contains("export " + key.variable() + "=" + key.key() + "\n");
        }
        assertThat(env).endsWith("export BORDERWATCH_API_KEY="
                + DemoCredentials.find(keys, "tj-border-guard").orElseThrow().key() + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("demo-keys.env"))))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldKeepEveryKeyAndAddMissingPrincipalsWhenStartedAgain() throws Exception {
        // Given a stack from an earlier release, whose key file lacks two of today's principals
        final List<DemoCredentials.DemoKey> first = DemoCredentials.ensure(dir);
        final Path keysFile = dir.resolve("demo-keys.txt");
        Files.write(keysFile, Files.readAllLines(keysFile).stream()
                .filter(line -> !line.startsWith("ops-tashkent") && !line.startsWith("af-border-police")).toList());

        // When the dev stack starts again
        final List<DemoCredentials.DemoKey> second = DemoCredentials.ensure(dir);

        // Then the others keep their keys, the two get new ones, and all are in the credentials file
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            final String name = first.get(i).name();
            if (name.equals("ops-tashkent") || name.equals("af-border-police")) {
                assertThat(second.get(i).key()).isNotEqualTo(first.get(i).key());
            } else {
                assertThat(second.get(i)).isEqualTo(first.get(i));
            }
            assertThat(Files.readString(DemoCredentials.credentialsFile(dir)))
                    .contains(ApiKeys.sha256Hex(second.get(i).key()));
        }
        assertThat(DemoCredentials.ensure(dir)).isEqualTo(second);
    }
}
