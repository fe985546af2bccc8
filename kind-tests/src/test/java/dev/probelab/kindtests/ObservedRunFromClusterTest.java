package dev.probelab.kindtests;

import static dev.probelab.kindtests.Fixtures.event;
import static dev.probelab.kindtests.Fixtures.id;
import static dev.probelab.kindtests.Fixtures.pod;
import static dev.probelab.kindtests.Fixtures.running;
import static dev.probelab.kindtests.Fixtures.status;
import static dev.probelab.kindtests.Fixtures.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.ObservedRun;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a watch and the event list of a real cluster become for the checks (dev.probelab.lab.OutcomeCheck
 * judges them): container runs, Ready changes and events, as seconds after the first container started.
 */
class ObservedRunFromClusterTest {

    private static final Instant T0 = Fixtures.T0;

    private static PodTimeline timeline(Pod... pods) {
        PodTimeline t = new PodTimeline(Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
        for (Pod p : pods) {
            t.record(p);
        }
        return t;
    }

    @Test
    void runsComeFromStateAndLastStateEvenWhenARunWasNeverSeenRunning() {
        PodTimeline t = timeline(
                pod("p", status("startup1", id(0), 0, running(0), null, true), true, 0),
                // run 1 lived and died between two statuses: only the next status's lastState shows it
                pod("p", status("startup1", id(2), 2, running(16), terminated(id(1), 7, 16, 0, "Completed"), true), true, 16));
        assertThat(t.observedRuns("startup1", T0)).containsExactly(
                new ObservedRun.Run(0, null, null, null), new ObservedRun.Run(7, 16.0, "Completed", 0),
                new ObservedRun.Run(16, null, null, null));
        assertThat(t.restartCountWhenFirstRunning("startup1")).contains(0);
    }

    @Test
    void aWatchThatStartedLateIsSeen() {
        PodTimeline t = timeline(pod("p", status("liveness1", id(1), 1, running(29), terminated(id(0), 0, 28, 143, "Error"), true), true, 29));
        assertThat(t.restartCountWhenFirstRunning("liveness1")).contains(1);
    }

    @Test
    void readyChangesAreTheConditionsTransitionsFromTheFirstStartOn() {
        PodTimeline t = timeline(
                pod("p", status("readiness", id(0), 0, running(0), null, false), false, 0),
                pod("p", status("readiness", id(0), 0, running(0), null, false), false, 0),
                pod("p", status("readiness", id(0), 0, running(0), null, true), true, 62));
        assertThat(t.readyChanges(T0)).containsExactly(new ObservedRun.ReadyChange(0, false), new ObservedRun.ReadyChange(62, true));
    }

    @Test
    void eventsKeepTheirCountsSourcesAndTimes() {
        EventLog log = new EventLog(List.of(EventLog.seen(
                event("p", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 22, 28))));
        assertThat(log.observed(T0)).containsExactly(new ObservedRun.Event("Warning", "Unhealthy",
                "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 22, 28, ObservedRun.KUBELET));
    }
}
