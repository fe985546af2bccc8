package dev.probelab.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** `docker stop` (SIGTERM) ends each app cleanly: quickly, exit status 0, one log line. */
@ExtendWith(DockerAvailable.class)
class GracefulStopIT {

    /** docker stop's grace period; a SIGKILL after it would show as exit status 137. */
    private static final int GRACE_SECONDS = 10;

    @ParameterizedTest
    @EnumSource(AppImage.class)
    void dockerStopEndsTheAppWithStatusZero(AppImage app) {
        try (Container c = Container.start(app, Container.AMD64, Map.of())) {
            c.firstAnswer(false, Duration.ofSeconds(30));

            long begin = System.nanoTime();
            Docker.output("stop", "--time", String.valueOf(GRACE_SECONDS), c.id);
            Duration stopping = Duration.ofNanos(System.nanoTime() - begin);

            assertThat(stopping).isLessThan(Duration.ofSeconds(3));
            assertThat(c.state("{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}")).isEqualTo("exited 0 false");
            assertThat(c.logs()).containsOnlyOnce("SIGTERM received: stopped gracefully");
        }
    }
}
