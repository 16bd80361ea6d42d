package org.borderwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceLauncherTest {

    @TempDir
    Path dir;

    @Test
    void shouldNameTheBuildCommandWhenTheServiceIsNotPackaged() {
        assertThatThrownBy(() -> ServiceLauncher.of(Service.INGEST, dir, dir.resolve("logs"), dir.resolve("c.yml")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("borderwatch-ingest-0.1.0-SNAPSHOT.jar")
                .hasMessageContaining("mvn -B -DskipTests -pl services/ingest -am package");
    }

    @Test
    void shouldNumberLogsOrAppendToOneWhenAskedTo() throws Exception {
        Files.createFile(dir.resolve(Service.ALERT.jar()));
        Files.createDirectories(dir.resolve("lib"));
        final ServiceLauncher numbered = ServiceLauncher.of(Service.ALERT, dir, dir.resolve("logs"), dir.resolve("c.yml"));

        assertThat(numbered.nextLog()).isEqualTo(dir.resolve("logs/alert-1.log"));
        assertThat(numbered.appendingToOneLog().nextLog()).isEqualTo(dir.resolve("logs/alert.log"));
        assertThat(Service.ALERT.home(Path.of("/repo"))).isEqualTo(Path.of("/repo/services/alert/target"));
    }
}
