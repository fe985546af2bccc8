package dev.probelab.kindtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The repository's root (the directory holding {@code mvnw}), where {@code k8s/} lives. */
public final class RepoRoot {

    /** Set by the kind-tests pom for failsafe (maven.multiModuleProjectDirectory); optional. */
    public static final String ENV = "PROBE_LAB_REPO_ROOT";

    private RepoRoot() {
    }

    /** {@code $PROBE_LAB_REPO_ROOT} when it holds mvnw, else the first directory holding mvnw from the working directory up. */
    public static Path find() {
        return find(Map.copyOf(System.getenv()), Path.of("").toAbsolutePath());
    }

    static Path find(Map<String, String> env, Path start) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank() && Files.isRegularFile(Path.of(fromEnv).resolve("mvnw"))) {
            return Path.of(fromEnv).toAbsolutePath().normalize();
        }
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory holding mvnw at or above " + start.toAbsolutePath());
    }

    /** k8s/&lt;file&gt; under the root; fails if it is missing. */
    public static Path manifest(Path root, String file) {
        Path path = root.resolve("k8s").resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("lab manifest missing: " + path);
        }
        return path;
    }
}
