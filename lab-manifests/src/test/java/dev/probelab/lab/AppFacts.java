package dev.probelab.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What our build produces and our apps serve, read from the build and the sources (not restated
 * here), so the manifests follow the code.
 */
final class AppFacts {

    /** The one image not built here: the official multi-arch busybox, no registry host in the name. */
    static final String BUSYBOX = "busybox:1.36.1";

    /**
     * Peak RSS of the three apps after 200 requests, measured with `java -jar` and the image's JVM
     * flags (docs/lab-walkthrough.md, "Resources"). The memory limit must be at least twice this.
     */
    static final long MEASURED_PEAK_RSS_MIB = 126;

    private static final Path CORE = Path.of("probe-core/src/main/java/dev/probelab/core");

    private AppFacts() {
    }

    /** The project version: every app image is tagged with it. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = AppFacts.class.getResourceAsStream("/build.properties")) {
            p.load(Objects.requireNonNull(in, "build.properties missing from the test classpath"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = p.getProperty("project.version");
        if (version == null || version.contains("${")) {
            throw new IllegalStateException("build.properties was not filtered: " + version);
        }
        return version;
    }

    /** The modules that become images: the apps the lab steps run. */
    static Set<String> apps() {
        return Arrays.stream(LabStep.values()).map(LabStep::app).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** probe-lab/<app>:<version>, the name Jib gives the app's image. */
    static String image(String app) {
        return "probe-lab/" + app + ":" + version();
    }

    /** The GET routes ProbeServer registers (/healthz and /). */
    static Set<String> routes() {
        String source = Fixtures.read(ProjectDirs.root().resolve(CORE).resolve("ProbeServer.java"));
        Matcher m = Pattern.compile("routes\\.get\\(\"([^\"]+)\"").matcher(source);
        Set<String> routes = new TreeSet<>();
        while (m.find()) {
            routes.add(m.group(1));
        }
        if (routes.isEmpty()) {
            throw new IllegalStateException("no routes.get(\"...\") found in ProbeServer.java");
        }
        return routes;
    }

    /** Settings.DEFAULT_PORT: the port the apps listen on when PORT is not set. */
    static int port() {
        String source = Fixtures.read(ProjectDirs.root().resolve(CORE).resolve("Settings.java"));
        Matcher m = Pattern.compile("DEFAULT_PORT\\s*=\\s*(\\d+)").matcher(source);
        if (!m.find()) {
            throw new IllegalStateException("no DEFAULT_PORT in Settings.java");
        }
        return Integer.parseInt(m.group(1));
    }
}
