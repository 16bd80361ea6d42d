package org.borderwatch.aggregator.service;

import java.nio.file.Path;
import java.util.List;

import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;

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
        return CredentialsWriter.write(dir.resolve("credentials-" + System.nanoTime() + ".yml"), List.of(
                CredentialsWriter.Entry.agency("tj-border-guard", AGENCY, AGENCY_KEY, "TJ-*"),
                CredentialsWriter.Entry.admin("root", ADMIN_KEY, "*"),
                CredentialsWriter.Entry.analyst("analyst", ANALYST_KEY, "*"),
                CredentialsWriter.Entry.opsCenter("dushanbe-ops", TJ_OPS_KEY, "TJ-*"),
                CredentialsWriter.Entry.analyst("khatlon-analyst", KT_ANALYST_KEY, "TJ-KT")));
    }
}
