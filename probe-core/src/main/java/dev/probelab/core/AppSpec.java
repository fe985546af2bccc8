package dev.probelab.core;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * What makes one probe app differ from the others: its name, its one timing setting,
 * and the rule that decides whether {@code /healthz} answers 200 or 500.
 *
 * @param name           app and logger name, shown on the info page
 * @param timingVariable the environment variable holding the timing, e.g. {@code FAIL_AFTER}
 * @param timingDefault  the course's value (20 s or 60 s)
 * @param behaviour      one phrase for the start-up line, with {@code %s} for the timing setting
 * @param rule           the /healthz decision
 */
public record AppSpec(String name, String timingVariable, Duration timingDefault, String behaviour, HealthRule rule) {

    /** Decides the /healthz answer from the request and the time since the server listened. */
    @FunctionalInterface
    public interface HealthRule {
        boolean healthy(Context request, Duration uptime, Duration timing);

        /** The readiness and startup apps' rule: the originals fail while `duration < 60000`. */
        HealthRule UNHEALTHY_UNTIL_TIMING = (request, uptime, timing) -> uptime.compareTo(timing) >= 0;
    }
}
