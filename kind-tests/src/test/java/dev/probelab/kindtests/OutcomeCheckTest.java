package dev.probelab.kindtests;

import static dev.probelab.kindtests.Fixtures.event;
import static dev.probelab.kindtests.Fixtures.id;
import static dev.probelab.kindtests.Fixtures.pod;
import static dev.probelab.kindtests.Fixtures.running;
import static dev.probelab.kindtests.Fixtures.status;
import static dev.probelab.kindtests.Fixtures.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.ExpectedEvent;
import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The comparison with LabStep's outcomes, on pod statuses and events shaped like the kubelet's. Every
 * time used here is taken from the outcome itself (its bounds, plus or minus a second), so the tests
 * follow LabStep when its numbers change.
 */
class OutcomeCheckTest {

    private static PodTimeline timeline(List<Pod> pods) {
        PodTimeline t = new PodTimeline(Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
        pods.forEach(t::record);
        return t;
    }

    /** A container started at +0 and restarted by kills ending at each of {@code kills} (seconds), next run 1 s later. */
    private static PodTimeline restartedAt(String container, long... kills) {
        List<Pod> pods = new ArrayList<>();
        pods.add(pod("p", status(container, id(0), 0, running(0), null, true), true, 0));
        long start = 0;
        for (int i = 0; i < kills.length; i++) {
            long next = kills[i] + 1;
            pods.add(pod("p", status(container, id(i + 1), i + 1, running(next),
                    terminated(id(i), start, kills[i], 143, "Error"), true), true, next));
            start = next;
        }
        return timeline(pods);
    }

    private static long s(java.time.Duration d) {
        return d.toSeconds();
    }

    @Nested
    class Liveness1 {
        final LabOutcome outcome = LabStep.LIVENESS_HTTP.expectedOutcome();

        @Test
        void aRestartInsideTheWindowPasses() {
            // killed at the earliest moment the kubelet rules allow, restarted at once
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("liveness1", s(outcome.noRestartBefore())), "liveness1")).isEmpty();
        }

        @Test
        void aRestartExactlyAtTheEndOfTheWindowPasses() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("liveness1", s(outcome.observeFor()) - 1), "liveness1")).isEmpty();
        }

        @Test
        void aRestartAfterTheWindowFails() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("liveness1", s(outcome.observeFor())), "liveness1"))
                    .singleElement().asString().contains("restart #1 came at +" + (s(outcome.observeFor()) + 1) + "s");
        }

        @Test
        void aRestartBeforeTheProbeCouldHaveFailedIsNotTheProbesDoing() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("liveness1", s(outcome.noRestartBefore()) - 1), "liveness1"))
                    .singleElement().asString().contains("something other than the probe");
        }

        @Test
        void noRestartFails() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("liveness1"), "liveness1"))
                    .singleElement().asString().contains("restartCount reached 0, expected at least 1");
        }

        @Test
        void aWatchThatStartedLateIsReported() {
            PodTimeline t = timeline(List.of(pod("p", status("liveness1", id(1), 1, running(29),
                    terminated(id(0), 0, 28, 143, "Error"), true), true, 29)));
            assertThat(OutcomeCheck.restarts(outcome, t, "liveness1")).anyMatch(p -> p.contains("already restarted"));
        }

        @Test
        void theEventsOfALivenessKillPass() {
            EventLog log = new EventLog(List.of(
                    EventLog.seen(event("p", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 22, 28)),
                    EventLog.seen(event("p", "Normal", "Killing", "Container liveness1 failed liveness probe, will be restarted", 1, 28, 28)),
                    EventLog.seen(event("p", "Normal", "Pulled", "Container image \"probe-lab/liveness-app:1.0.0\" already present on machine", 2, 0, 29))));
            assertThat(OutcomeCheck.events(outcome, log, 1)).isEmpty();
        }

        @Test
        void aMissingKillingEventFails() {
            EventLog log = new EventLog(List.of(
                    EventLog.seen(event("p", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 22, 28))));
            assertThat(OutcomeCheck.events(outcome, log, 1)).singleElement().asString()
                    .contains("no event Normal Killing 'Container liveness1 failed liveness probe, will be restarted'");
        }

        @Test
        void anotherStatusCodeIsNotTheCoursesEvent() {
            EventLog log = new EventLog(List.of(
                    EventLog.seen(event("p", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503", 3, 22, 28)),
                    EventLog.seen(event("p", "Normal", "Killing", "Container liveness1 failed liveness probe, will be restarted", 1, 28, 28))));
            assertThat(OutcomeCheck.events(outcome, log, 1)).singleElement().asString().contains("Unhealthy");
        }
    }

    @Nested
    class Startup {
        final LabOutcome outcome = LabStep.STARTUP_LIVENESS_ONLY.expectedOutcome();

        /** Kills as a real v1.20.2 kubelet made them with k8s/startup.yaml: restarts at 7, 16 and 38 s of container time. */
        @Test
        void restartsThatKeepComingPass() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("startup1", 6, 15, 37), "startup1")).isEmpty();
        }

        @Test
        void twoRestartsOnlyFail() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("startup1", 6, 15), "startup1"))
                    .singleElement().asString().contains("expected at least 3");
        }

        @Test
        void fewerKillingsThanRestartsPassOnlyOnceTheEventBudgetIsSpent() {
            // What a v1.20.2 kubelet's events showed at 2m53s, with RESTARTS 5: counts frozen at 25 events.
            List<EventLog.SeenEvent> frozen = new ArrayList<>(List.of(
                    EventLog.seen(event("p", "Normal", "Pulled", "Container image \"probe-lab/startup-app:1.0.0\" already present on machine", 4, 1, 39)),
                    EventLog.seen(event("p", "Normal", "Created", "Created container startup1", 4, 1, 39)),
                    EventLog.seen(event("p", "Normal", "Started", "Started container startup1", 4, 1, 39)),
                    EventLog.seen(event("p", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 8, 5, 47)),
                    EventLog.seen(event("p", "Normal", "Killing", "Container startup1 failed liveness probe, will be restarted", 3, 7, 26)),
                    EventLog.seen(event("p", "Warning", "BackOff", "Back-off restarting failed container", 2, 26, 27))));
            assertThat(new EventLog(frozen).budgetSpent()).isTrue();
            assertThat(OutcomeCheck.events(outcome, new EventLog(frozen), 5)).isEmpty();

            frozen.remove(0); // 21 kubelet events: the budget is not spent, so 3 Killing for 5 restarts is wrong
            assertThat(new EventLog(frozen).budgetSpent()).isFalse();
            assertThat(OutcomeCheck.events(outcome, new EventLog(frozen), 5)).singleElement().asString()
                    .contains("Killing happened 3 times for 5 restarts, and the pod's event budget is not spent");
        }

        @Test
        void killingMustHappenOncePerRestart() {
            ExpectedEvent killing = outcome.events().stream().filter(e -> e.reason().equals("Killing")).findFirst().orElseThrow();
            ExpectedEvent unhealthy = outcome.events().stream().filter(e -> e.reason().equals("Unhealthy")).findFirst().orElseThrow();
            ExpectedEvent backOff = outcome.events().stream().filter(e -> e.reason().equals("BackOff")).findFirst().orElseThrow();
            List<EventLog.SeenEvent> base = List.of(
                    EventLog.seen(event("p", "Warning", "Unhealthy", unhealthy.messagePrefix(), 4, 4, 16)),
                    EventLog.seen(event("p", "Warning", "BackOff", backOff.messagePrefix()
                            + " startup1 in pod nodeapp-startup-799c4cfbd7-fbcc9_probe-lab-test(c1226908-b3ce-4070-9235-4efbe8ae96f5)", 1, 17, 17)));
            List<EventLog.SeenEvent> once = new ArrayList<>(base);
            once.add(EventLog.seen(event("p", "Normal", "Killing", killing.messagePrefix(), 1, 7, 7)));
            List<EventLog.SeenEvent> twice = new ArrayList<>(base);
            twice.add(EventLog.seen(event("p", "Normal", "Killing", killing.messagePrefix(), 2, 7, 16)));

            assertThat(OutcomeCheck.events(outcome, new EventLog(twice), 2)).isEmpty();
            assertThat(OutcomeCheck.events(outcome, new EventLog(once), 2)).singleElement().asString()
                    .contains("Killing happened 1 times for 2 restarts");
        }
    }

    @Nested
    class Readiness {
        final LabOutcome outcome = LabStep.READINESS.expectedOutcome();

        private PodTimeline readyAt(long seconds) {
            return timeline(List.of(
                    pod("p", status("readiness", id(0), 0, running(0), null, false), false, 0),
                    pod("p", status("readiness", id(0), 0, running(0), null, true), true, seconds)));
        }

        @Test
        void readyInsideItsWindowPasses() {
            assertThat(OutcomeCheck.readiness(outcome, readyAt(s(outcome.notReadyBefore())), "readiness")).isEmpty();
            assertThat(OutcomeCheck.readiness(outcome, readyAt(s(outcome.readyBy())), "readiness")).isEmpty();
            assertThat(OutcomeCheck.restarts(outcome, readyAt(s(outcome.readyBy())), "readiness")).isEmpty();
        }

        @Test
        void readyTooEarlyFails() {
            assertThat(OutcomeCheck.readiness(outcome, readyAt(s(outcome.notReadyBefore()) - 1), "readiness"))
                    .singleElement().asString().contains("turned Ready at +" + (s(outcome.notReadyBefore()) - 1) + "s, before");
        }

        @Test
        void readyTooLateFails() {
            assertThat(OutcomeCheck.readiness(outcome, readyAt(s(outcome.readyBy()) + 1), "readiness"))
                    .singleElement().asString().contains("later than");
        }

        @Test
        void neverReadyFails() {
            PodTimeline t = timeline(List.of(pod("p", status("readiness", id(0), 0, running(0), null, false), false, 0)));
            assertThat(OutcomeCheck.readiness(outcome, t, "readiness")).singleElement().asString().contains("never turned Ready");
        }

        @Test
        void anyRestartFails() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("readiness", 40), "readiness"))
                    .singleElement().asString().contains("expected at most 0");
        }
    }

    @Nested
    class StartupProbe {
        final LabOutcome outcome = LabStep.STARTUP_PROBE.expectedOutcome();

        @Test
        void aRestartFails() {
            // what happens when the startup probe's budget is too small: the container is killed anyway
            assertThat(OutcomeCheck.restarts(outcome, restartedAt("startup1", 30), "startup1")).isNotEmpty();
        }

        @Test
        void theStartupProbesUnhealthyEventIsExpected() {
            EventLog log = new EventLog(List.of(EventLog.seen(
                    event("p", "Warning", "Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 500", 6, 1, 51))));
            assertThat(OutcomeCheck.events(outcome, log, 0)).isEmpty();
            EventLog liveness = new EventLog(List.of(EventLog.seen(
                    event("p", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 6, 1, 51))));
            assertThat(OutcomeCheck.events(outcome, liveness, 0)).isNotEmpty();
        }
    }
}
