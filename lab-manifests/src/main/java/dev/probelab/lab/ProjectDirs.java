package dev.probelab.lab;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's directories from wherever a test or tool runs inside the checkout. */
public final class ProjectDirs {

    private ProjectDirs() {
    }

    /** The checkout's root: the nearest directory at or above the working directory that holds {@code mvnw}. */
    public static Path root() {
        return rootAbove(Path.of("").toAbsolutePath());
    }

    /** The nearest directory at or above {@code start} that holds {@code mvnw}. */
    public static Path rootAbove(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory holding mvnw at or above " + start.toAbsolutePath());
    }

    /** {@code <root>/k8s}: one manifest per lab step, and {@code kind/} for the cluster scripts. */
    public static Path k8s() {
        return root().resolve("k8s");
    }

    /** The manifest file of {@code step} under {@code k8s/}. */
    public static Path manifest(LabStep step) {
        return k8s().resolve(step.manifest());
    }
}
