package org.borderwatch.bench.pipeline;

import java.nio.file.Path;
import java.util.List;

import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;

/**
 * API keys for one run and the credentials file every service reads: an admin (publishes for any agency, manages
 * rules) and an operations center that sees every region. The file holds only their SHA-256 digests.
 */
public record Credentials(String adminKey, String opsKey, Path file) {

    /** New keys, written to {@code dir/credentials.yml}. */
    public static Credentials write(final Path dir) {
        final String admin = ApiKeys.generate();
        final String ops = ApiKeys.generate();
        final Path file = CredentialsWriter.write(dir.resolve("credentials.yml"), List.of(
                CredentialsWriter.Entry.admin("bench-admin", admin, "*"),
                CredentialsWriter.Entry.opsCenter("bench-ops-center", ops, "*")));
        return new Credentials(admin, ops, file);
    }
}
