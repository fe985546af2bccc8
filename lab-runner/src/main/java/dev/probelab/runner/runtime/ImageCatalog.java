package dev.probelab.runner.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an image name means to the local runtime: one of our apps (its module's jar), busybox (a
 * local shell), or something it cannot run. Registry and tag are ignored:
 * {@code probe-lab/liveness-app:1.0.0} and {@code 127.0.0.1:5000/probe-lab/liveness-app} are both
 * liveness-app; the course's original images map to our ports of them.
 */
public final class ImageCatalog {

    public sealed interface Image {
    }

    /** One of our apps: {@code <home>/<module>/target/<module>.jar}. */
    public record App(String module, Path jar) implements Image {
    }

    public record Busybox() implements Image {
    }

    public record Unknown(String image) implements Image {
    }

    private static final Map<String, String> MODULES = Map.of(
            "liveness-app", "liveness-app",
            "readiness-app", "readiness-app",
            "startup-app", "startup-app",
            // The course's images (stepanowon/nodeapp-*), which our apps port.
            "nodeapp-liveness", "liveness-app",
            "nodeapp-readiness", "readiness-app",
            "nodeapp-startup", "startup-app");

    private final Path home;

    public ImageCatalog(Path home) {
        this.home = home;
    }

    public Image resolve(String image) {
        String repository = repository(image);
        String last = repository.substring(repository.lastIndexOf('/') + 1);
        String module = MODULES.get(last);
        if (module != null) {
            return new App(module, home.resolve(module).resolve("target").resolve(module + ".jar"));
        }
        if (last.equals("busybox")) {
            return new Busybox();
        }
        return new Unknown(image);
    }

    /** The image without tag or digest: "multiarch/busybox:amd64-slim" -> "multiarch/busybox". */
    static String repository(String image) {
        String name = image;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(0, colon) : name;
    }

    public boolean jarMissing(App app) {
        return !Files.isRegularFile(app.jar());
    }
}
