package dev.probelab.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The amd64 images run hardened (read-only root, no tmpfs, all capabilities dropped, no new
 * privileges) as a non-root user, and show the lab behaviour with timings shortened through env.
 */
@ExtendWith(DockerAvailable.class)
class HardenedRunIT {

    /** Short enough for a quick test, long enough that the app answers well before it passes. */
    private static final Duration TIMING = Duration.ofSeconds(4);
    private static final Duration START = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(AppImage.class)
    void runsAsNonRootWithoutWritingAnything(AppImage app) {
        try (Container c = Container.start(app, Container.AMD64, Map.of())) {
            c.firstAnswer(false, START);

            assertThat(c.processUids()).isNotEmpty().allSatisfy(uid -> assertThat(uid).isEqualTo("65532"));
            assertThat(c.imagePlatform()).isEqualTo(Container.AMD64);
            // A JVM that fails to write (hsperfdata, temp files) on a read-only root says so on stderr.
            assertThat(c.logs()).contains(app.module + " " + AppImage.version() + " listening on port 8080")
                    .doesNotContainIgnoringCase("warning").doesNotContain("Exception");
        }
    }

    @Test
    void livenessFailsTheHealthCheckOnceFailAfterHasPassed() {
        try (Container c = Container.start(AppImage.LIVENESS, Container.AMD64, Map.of("FAIL_AFTER", "4s"))) {
            Container.Answer first = c.firstAnswer(true, START);
            assertThat(c.sinceRun()).as("app answered before FAIL_AFTER passed").isLessThan(TIMING);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("\"status\":\"ok\"");

            Container.Answer failing = c.awaitStatus(true, 500, TIMING.plus(START));
            assertThat(c.sinceRun()).isGreaterThanOrEqualTo(TIMING);
            assertThat(failing.body()).contains("\"status\":\"fail\"");
            // Only requests with the probe's header fail.
            assertThat(c.awaitStatus(false, 200, Duration.ofSeconds(5)).body()).contains("\"status\":\"ok\"");
        }
    }

    @ParameterizedTest
    @EnumSource(value = AppImage.class, names = {"READINESS", "STARTUP"})
    void notHealthyUntilItsDelayHasPassed(AppImage app) {
        try (Container c = Container.start(app, Container.AMD64, Map.of(app.timingVariable, "4s"))) {
            Container.Answer first = c.firstAnswer(false, START);
            assertThat(c.sinceRun()).as("app answered before %s passed", app.timingVariable).isLessThan(TIMING);
            assertThat(first.status()).isEqualTo(500);
            assertThat(first.body()).contains("\"status\":\"fail\"");

            Container.Answer ready = c.awaitStatus(false, 200, TIMING.plus(START));
            assertThat(c.sinceRun()).isGreaterThanOrEqualTo(TIMING);
            assertThat(ready.body()).contains("\"status\":\"ok\"");
        }
    }
}
