package org.borderwatch.launcher;

import java.nio.file.Path;

/**
 * A borderwatch service as packaged by its module: a thin jar and its runtime classpath in {@code target/lib}, run
 * with {@code java -cp "<home>/<jar>:<home>/lib/*" <main class>}. Each service reads its own {@code application.yml}
 * from its own jar, so the services never share a classpath (three {@code application.yml} and three sets of beans
 * on one classpath would mix their configurations).
 */
public enum Service {
    INGEST("ingest", "borderwatch-ingest", "org.borderwatch.ingest.Application", 8081),
    AGGREGATOR("aggregator", "borderwatch-aggregator", "org.borderwatch.aggregator.Application", 8082),
    ALERT("alert", "borderwatch-alert", "org.borderwatch.alert.Application", 8083);

    /** The version every module of the build shares. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private final String shortName;
    private final String artifactId;
    private final String mainClass;
    private final int defaultPort;

    Service(final String shortName, final String artifactId, final String mainClass, final int defaultPort) {
        this.shortName = shortName;
        this.artifactId = artifactId;
        this.mainClass = mainClass;
        this.defaultPort = defaultPort;
    }

    /** {@code ingest}, {@code aggregator}, {@code alert}: log file names and the module directory. */
    public String shortName() {
        return shortName;
    }

    /** The jar's file name in {@code target/}. */
    public String jar() {
        return artifactId + "-" + VERSION + ".jar";
    }

    public String mainClass() {
        return mainClass;
    }

    /** The port of its {@code application.yml} (the dev stack's): ingest 8081, aggregator 8082, alert 8083. */
    public int defaultPort() {
        return defaultPort;
    }

    /** System property naming the service's {@code target} directory, e.g. {@code borderwatch.alert.home}. */
    public String homeProperty() {
        return "borderwatch." + shortName + ".home";
    }

    /** Its {@code target} directory in the repository at {@code root}: {@code services/<name>/target}. */
    public Path home(final Path root) {
        return root.resolve("services").resolve(shortName).resolve("target");
    }

    /** The {@code home} from {@link #homeProperty()}, else {@code services/<name>/target} under the working dir. */
    public Path defaultHome() {
        final String property = System.getProperty(homeProperty());
        return property != null ? Path.of(property) : home(Path.of(""));
    }
}
