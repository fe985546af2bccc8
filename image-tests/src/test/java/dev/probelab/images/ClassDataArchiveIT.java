package dev.probelab.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A container restarted in the same pod maps the class-data archive that the one before it wrote on
 * its way out (docs/images.md, "Class-data sharing"): the pod's containers share its sandbox's IPC
 * namespace and so its /dev/shm, here a sandbox container that holds one.
 */
@ExtendWith(DockerAvailable.class)
class ClassDataArchiveIT {

    private static final Duration START = Duration.ofSeconds(30);
    private static final AppImage APP = AppImage.LIVENESS;
    private static final String ARCHIVE = "/dev/shm/" + APP.module + ".jsa";

    @Test
    void aRestartMapsTheArchiveItsPredecessorWroteWhenItStopped() {
        Container.pull(APP, Container.AMD64);
        String sandbox = Docker.output("run", "--detach", "--pull", "never", "--platform", Container.AMD64,
                "--ipc", "shareable", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                "--entrypoint", "sleep", APP.reference(), "infinity");
        try {
            List<String> inThePod = List.of("--ipc", "container:" + sandbox);
            try (Container first = Container.start(APP, Container.AMD64, Map.of(), inThePod)) {
                first.firstAnswer(false, START);
                assertThat(first.mappedFiles()).doesNotContain(ARCHIVE);
                Docker.output("stop", first.id);
                // Writing the archive must not change how the app ends (exit status 0: Completed).
                assertThat(first.state("{{.State.ExitCode}}")).isEqualTo("0");
            }
            try (Container restarted = Container.start(APP, Container.AMD64, Map.of(), inThePod)) {
                restarted.firstAnswer(false, START);
                assertThat(restarted.mappedFiles()).contains(ARCHIVE);
                assertThat(restarted.logs()).doesNotContainIgnoringCase("warning");
            }
        } finally {
            Docker.run(Duration.ofSeconds(30), "rm", "--force", sandbox);
        }
    }
}
