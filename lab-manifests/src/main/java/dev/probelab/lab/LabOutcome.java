package dev.probelab.lab;

import java.time.Duration;
import java.util.List;

/**
 * What one lab step must show, as times after its pod's first container started.
 * Both the kind tests and the local runner's tests check exactly this.
 *
 * @param claim              the course's claim, in one sentence
 * @param observeFor         how long to watch; every bound below falls inside it
 * @param minRestarts        restartCount reaches at least this by {@code observeFor}
 * @param maxRestarts        restartCount never exceeds this while watching
 * @param noRestartBefore    no restart happens earlier than this (the probe, not something else, restarts it)
 * @param notReadyBefore     the pod is not Ready (and its Service answers nothing) before this; ZERO: no claim
 * @param readyBy            the pod is Ready by this time; null: no claim
 * @param events             events that must have been recorded by {@code observeFor}
 */
public record LabOutcome(
        String claim,
        Duration observeFor,
        int minRestarts,
        int maxRestarts,
        Duration noRestartBefore,
        Duration notReadyBefore,
        Duration readyBy,
        List<ExpectedEvent> events) {

    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public boolean expectsReady() {
        return readyBy != null;
    }
}
