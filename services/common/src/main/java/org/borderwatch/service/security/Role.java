package org.borderwatch.service.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a credential may do. The lower-case {@link #id()} is the micronaut-security role name, used in
 * {@code @Secured} through the constants of {@link Names} and in the credentials file.
 */
public enum Role {
    /** A border agency: publishes reports for its own agency id. */
    AGENCY(Names.AGENCY),
    /** An operations center: receives and acknowledges alerts for its regions. */
    OPS_CENTER(Names.OPS_CENTER),
    /** Reads aggregates and topics. */
    ANALYST(Names.ANALYST),
    /** Manages rules, credentials and subscriptions; may publish for any agency. */
    ADMIN(Names.ADMIN);

    private final String id;

    Role(final String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Role> fromId(final String id) {
        return Arrays.stream(values()).filter(role -> role.id.equals(id)).findFirst();
    }

    /** Compile-time constants for {@code @Secured}. */
    public static final class Names {
        public static final String AGENCY = "agency";
        public static final String OPS_CENTER = "ops-center";
        public static final String ANALYST = "analyst";
        public static final String ADMIN = "admin";

        private Names() {
        }
    }
}
