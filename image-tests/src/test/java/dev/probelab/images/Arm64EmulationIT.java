package dev.probelab.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The arm64 images run (under qemu emulation here), hardened as on amd64, and answer /healthz. */
@ExtendWith(DockerAvailable.class)
class Arm64EmulationIT {

    /** 40-60 s under qemu on 2 busy cores (Jetty and Jackson load some 2,000 classes); about 1 s natively. */
    private static final Duration START_UNDER_EMULATION = Duration.ofMinutes(3);

    @ParameterizedTest
    @EnumSource(AppImage.class)
    void arm64ImageAnswersHealthz(AppImage app) {
        try (Container c = Container.start(app, Container.ARM64, Map.of(app.timingVariable, "0s"))) {
            Container.Answer answer = c.awaitStatus(false, 200, START_UNDER_EMULATION);

            assertThat(answer.body()).contains("\"status\":\"ok\"");
            assertThat(c.imagePlatform()).isEqualTo(Container.ARM64);
            assertThat(c.processUids()).isNotEmpty().allSatisfy(uid -> assertThat(uid).isEqualTo("65532"));
        }
    }
}
