package dev.probelab.runner.output;

import java.time.Duration;

/**
 * One row of `kubectl get pods`, as kubectl's printPod computes it.
 *
 * @param sinceLastRestart time since the last container termination, or null if it never restarted
 */
public record PodStatusLine(String name, int readyContainers, int containers, String status, int restarts,
        Duration sinceLastRestart, Duration age) {

    public String ready() {
        return readyContainers + "/" + containers;
    }

    /** "0", or "2 (5s ago)" as kubectl shows it since 1.23. */
    public String restartsColumn() {
        return sinceLastRestart == null ? Integer.toString(restarts)
                : restarts + " (" + HumanDuration.format(sinceLastRestart) + " ago)";
    }

    /** The columns that make `kubectl get pods -w` print a new line when they change. */
    public boolean sameState(PodStatusLine other) {
        return other != null && readyContainers == other.readyContainers && status.equals(other.status)
                && restarts == other.restarts;
    }
}
