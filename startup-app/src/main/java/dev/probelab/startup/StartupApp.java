package dev.probelab.startup;

import dev.probelab.core.AppSpec;
import dev.probelab.core.ProbeApp;
import java.time.Duration;

/**
 * The course's startup example (nodeapp-startup), a "slow starter": /healthz is 500 until
 * STARTUP_DELAY has passed. With only a liveness probe it is restarted again and again;
 * a startup probe lets it finish starting.
 */
public final class StartupApp {

    public static final AppSpec SPEC = new AppSpec("startup-app", "STARTUP_DELAY", Duration.ofSeconds(60),
            "/healthz answers 500 until %s has passed",
            AppSpec.HealthRule.UNHEALTHY_UNTIL_TIMING);

    private StartupApp() {
    }

    public static void main(String[] args) {
        ProbeApp.run(SPEC);
    }
}
