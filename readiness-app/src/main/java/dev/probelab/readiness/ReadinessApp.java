package dev.probelab.readiness;

import dev.probelab.core.AppSpec;
import dev.probelab.core.ProbeApp;
import java.time.Duration;

/**
 * The course's readiness example (nodeapp-readiness): /healthz is 500 until READY_AFTER has
 * passed, so the pod stays READY 0/1 and out of its Service for that long.
 */
public final class ReadinessApp {

    public static final AppSpec SPEC = new AppSpec("readiness-app", "READY_AFTER", Duration.ofSeconds(60),
            "/healthz answers 500 until %s has passed",
            AppSpec.HealthRule.UNHEALTHY_UNTIL_TIMING);

    private ReadinessApp() {
    }

    public static void main(String[] args) {
        ProbeApp.run(SPEC);
    }
}
