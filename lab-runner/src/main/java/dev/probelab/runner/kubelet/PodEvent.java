package dev.probelab.runner.kubelet;

import java.time.Duration;

/**
 * An event as `kubectl describe pod` lists it: repeats of the same type, reason and message are
 * aggregated like the kubelet's event correlator does, with a count and first/last times.
 */
public record PodEvent(String type, String reason, String from, String message, int count, Duration firstSeen,
        Duration lastSeen) {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
}
