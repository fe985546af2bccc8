package dev.probelab.runner.kubelet;

import java.time.Duration;

/**
 * One probe of a container, defaults applied (pkg/apis/core/v1/defaults.go: initialDelay 0,
 * period 10, timeout 1, success 1, failure 3).
 *
 * @param terminationGracePeriodSeconds the probe-level grace period for a kill it causes, or null
 */
public record ProbeSettings(
        ProbeHandler handler,
        int initialDelaySeconds,
        int periodSeconds,
        int timeoutSeconds,
        int successThreshold,
        int failureThreshold,
        Long terminationGracePeriodSeconds) {

    public static final int DEFAULT_PERIOD_SECONDS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    /** The probe with the kubelet's defaults for every unset field. */
    public static ProbeSettings withDefaults(ProbeHandler handler, Integer initialDelaySeconds, Integer periodSeconds,
            Integer timeoutSeconds, Integer successThreshold, Integer failureThreshold, Long terminationGracePeriodSeconds) {
        return new ProbeSettings(handler,
                orDefault(initialDelaySeconds, 0),
                orDefault(periodSeconds, DEFAULT_PERIOD_SECONDS),
                orDefault(timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
                orDefault(successThreshold, DEFAULT_SUCCESS_THRESHOLD),
                orDefault(failureThreshold, DEFAULT_FAILURE_THRESHOLD),
                terminationGracePeriodSeconds);
    }

    public Duration period() {
        return Duration.ofSeconds(periodSeconds);
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    private static int orDefault(Integer value, int fallback) {
        // The API server also turns an explicit 0 into the default for these fields.
        return value == null || value == 0 && fallback != 0 ? fallback : value;
    }
}
