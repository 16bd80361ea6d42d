package org.borderwatch.bench.process;

import java.nio.file.Path;

/**
 * A borderwatch service as packaged by its module: a thin jar and its runtime classpath in {@code target/lib}, run
 * with {@code java -cp "<home>/<jar>:<home>/lib/*" <main class>}. Each service reads its own {@code application.yml}
 * from its own jar, so the services never share a classpath (three {@code application.yml} and three sets of beans
 * on one classpath would mix their configurations).
 */
public enum Service {
    INGEST("ingest", "borderwatch-ingest-0.1.0-SNAPSHOT.jar", "org.borderwatch.ingest.Application"),
    AGGREGATOR("aggregator", "borderwatch-aggregator-0.1.0-SNAPSHOT.jar", "org.borderwatch.aggregator.Application"),
    ALERT("alert", "borderwatch-alert-0.1.0-SNAPSHOT.jar", "org.borderwatch.alert.Application");

    private final String shortName;
    private final String jar;
    private final String mainClass;

    Service(final String shortName, final String jar, final String mainClass) {
        this.shortName = shortName;
        this.jar = jar;
        this.mainClass = mainClass;
    }

    /** {@code ingest}, {@code aggregator}, {@code alert}: log file names and the module directory. */
    public String shortName() {
        return shortName;
    }

    public String jar() {
        return jar;
    }

    public String mainClass() {
        return mainClass;
    }

    /** System property naming the service's {@code target} directory, e.g. {@code borderwatch.alert.home}. */
    public String homeProperty() {
        return "borderwatch." + shortName + ".home";
    }

    /** The {@code home} from {@link #homeProperty()}, else {@code services/<name>/target} under the working dir. */
    public Path defaultHome() {
        final String property = System.getProperty(homeProperty());
        return property != null ? Path.of(property) : Path.of("services", shortName, "target");
    }
}
