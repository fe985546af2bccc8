package dev.probelab.images;

import java.nio.file.Path;

/**
 * The three app images as the build names them: {@code ${image.registry}/<app>:${project.version}},
 * e.g. 127.0.0.1:5000/probe-lab/liveness-app:1.0.0 under -Pimages.
 */
enum AppImage {
    LIVENESS("liveness-app", "FAIL_AFTER"),
    READINESS("readiness-app", "READY_AFTER"),
    STARTUP("startup-app", "STARTUP_DELAY");

    final String module;
    /** The environment variable holding the app's one timing. */
    final String timingVariable;

    AppImage(String module, String timingVariable) {
        this.module = module;
        this.timingVariable = timingVariable;
    }

    static String registryPrefix() {
        return required("image.registry");
    }

    static String version() {
        return required("image.version");
    }

    String reference() {
        return registryPrefix() + "/" + module + ":" + version();
    }

    /** The repository inside the registry, e.g. probe-lab/liveness-app. */
    String repository() {
        String prefix = registryPrefix();
        return prefix.substring(prefix.indexOf('/') + 1) + "/" + module;
    }

    /** The registry's host:port, e.g. 127.0.0.1:5000. */
    static String registryHost() {
        String prefix = registryPrefix();
        if (prefix.indexOf('/') < 0) {
            throw new IllegalStateException("image.registry=" + prefix + " names no registry host; run with -Pimages");
        }
        return prefix.substring(0, prefix.indexOf('/'));
    }

    /** The digest jib:build wrote for this module's image in this build. */
    Path jibDigestFile() {
        return Path.of(required("apps.dir"), module, "target", "jib-image.digest");
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " not set; run with -Pimages");
        }
        return value;
    }
}
