package dev.probelab.lab;

import dev.probelab.core.ProbeServer;
import dev.probelab.core.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What our build produces and our apps serve, read from the build and from probe-core itself (not
 * restated here), so the manifests follow the code.
 */
final class AppFacts {

    /** The one image not built here: the official multi-arch busybox, no registry host in the name. */
    static final String BUSYBOX = "busybox:1.36.1";

    /**
     * Peak RSS of the three apps after 200 requests, measured with `java -jar` and the image's JVM
     * flags (docs/lab-walkthrough.md, "Resources"). The memory limit must be at least twice this.
     */
    static final long MEASURED_PEAK_RSS_MIB = 126;

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

    /** The paths the apps answer (ProbeServer.ROUTES: /healthz and /). */
    static Set<String> routes() {
        return new TreeSet<>(ProbeServer.ROUTES);
    }

    /** The port the apps listen on when PORT is not set. */
    static int port() {
        return Settings.DEFAULT_PORT;
    }
}
