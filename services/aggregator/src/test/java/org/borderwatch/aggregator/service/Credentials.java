package org.borderwatch.aggregator.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.borderwatch.service.security.ApiKeys;

/** The API keys of the live tests and the credentials file both services read. */
final class Credentials {

    static final String AGENCY = "TJ-BORDER-GUARD";
    static final String AGENCY_KEY = ApiKeys.generate();
    static final String ADMIN_KEY = ApiKeys.generate();
    static final String ANALYST_KEY = ApiKeys.generate();
    /** An operations center for Tajikistan: regions TJ-*. */
    static final String TJ_OPS_KEY = ApiKeys.generate();
    /** An analyst for one region only: TJ-KT. */
    static final String KT_ANALYST_KEY = ApiKeys.generate();

    private Credentials() {
    }

    static Path write(final Path dir) {
        final Path file = dir.resolve("credentials-" + System.nanoTime() + ".yml");
        try {
            Files.writeString(file, """
                    credentials:
                      - {name: tj-border-guard, key-sha256: %s, role: agency, agency-id: %s, regions: ["TJ-*"]}
                      - {name: root, key-sha256: %s, role: admin, regions: ["*"]}
                      - {name: analyst, key-sha256: %s, role: analyst, regions: ["*"]}
                      - {name: dushanbe-ops, key-sha256: %s, role: ops-center, regions: ["TJ-*"]}
                      - {name: khatlon-analyst, key-sha256: %s, role: analyst, regions: ["TJ-KT"]}
                    """.formatted(ApiKeys.sha256Hex(AGENCY_KEY), AGENCY, ApiKeys.sha256Hex(ADMIN_KEY),
                    ApiKeys.sha256Hex(ANALYST_KEY), ApiKeys.sha256Hex(TJ_OPS_KEY),
                    ApiKeys.sha256Hex(KT_ANALYST_KEY)));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
