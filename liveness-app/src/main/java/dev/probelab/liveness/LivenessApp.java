package dev.probelab.liveness;

import dev.probelab.core.AppSpec;
import dev.probelab.core.ProbeApp;
import java.time.Duration;

/**
 * The course's liveness example (nodeapp-liveness): /healthz turns to 500 once FAIL_AFTER has
 * passed, but only for requests carrying {@code health: check}, the header the lab's probe sends.
 */
public final class LivenessApp {

    public static final String HEADER = "health";
    public static final String HEADER_VALUE = "check";

    public static final AppSpec SPEC = new AppSpec("liveness-app", "FAIL_AFTER", Duration.ofSeconds(20),
            "/healthz answers 500 to 'health: check' once %s has passed",
            // The original fails when `duration > 20000`: healthy up to and including FAIL_AFTER.
            (request, uptime, failAfter) -> !HEADER_VALUE.equals(request.header(HEADER))
                    || uptime.compareTo(failAfter) <= 0);

    private LivenessApp() {
    }

    public static void main(String[] args) {
        ProbeApp.run(SPEC);
    }
}
