package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.kubelet.KubeletVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The judgement of observed runs against LabStep's outcomes, on runs and events shaped like a cluster's
 * (whole seconds). Every time used here is taken from the outcome itself (its bounds, plus or minus a
 * second), or from a real kubelet's run, so the tests follow LabStep when its numbers change.
 */
class OutcomeCheckTest {

    /** A container started at +0 and killed at each of {@code kills} (seconds), each next run 1 s later. */
    static ObservedRun restartedAt(long... kills) {
        List<ObservedRun.Run> runs = new ArrayList<>();
        long start = 0;
        for (long kill : kills) {
            runs.add(new ObservedRun.Run(start, (double) kill, "Error", 143));
            start = kill + 1;
        }
        runs.add(new ObservedRun.Run(start, null, null, null));
        return run(runs, List.of(), List.of());
    }

    static ObservedRun run(List<ObservedRun.Run> runs, List<ObservedRun.ReadyChange> ready, List<ObservedRun.Event> events) {
        return new ObservedRun("p", 1.0, 300, runs, ready, events, List.of());
    }

    static ObservedRun withEvents(ObservedRun run, List<ObservedRun.Event> events) {
        return new ObservedRun(run.pod(), run.resolution(), run.watchedFor(), run.runs(), run.readyChanges(), events, run.podLines());
    }

    static ObservedRun.Event event(String type, String reason, String message, int count, double first, double last) {
        return new ObservedRun.Event(type, reason, message, count, first, last, ObservedRun.KUBELET);
    }

    private static long s(Duration d) {
        return d.toSeconds();
    }

    @Nested
    class Liveness1 {
        final LabOutcome outcome = LabStep.LIVENESS_HTTP.expectedOutcome();

        @Test
        void aRestartInsideTheWindowPasses() {
            // killed at the earliest moment the kubelet rules allow, restarted at once
            assertThat(OutcomeCheck.restarts(outcome, restartedAt(s(outcome.noRestartBefore())))).isEmpty();
        }

        @Test
        void aRestartExactlyAtTheEndOfTheWindowPasses() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt(s(outcome.observeFor()) - 1))).isEmpty();
        }

        @Test
        void aRestartAfterTheWindowFails() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt(s(outcome.observeFor()))))
                    .singleElement().asString().contains("restart #1 came at +" + (s(outcome.observeFor()) + 1) + "s");
        }

        @Test
        void aRestartBeforeTheProbeCouldHaveFailedIsNotTheProbesDoing() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt(s(outcome.noRestartBefore()) - 1)))
                    .singleElement().asString().contains("something other than the probe");
        }

        @Test
        void noRestartFails() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt()))
                    .singleElement().asString().contains("restartCount reached 0, expected at least 1");
        }

        @Test
        void theEventsOfALivenessKillPass() {
            ObservedRun run = withEvents(restartedAt(28), List.of(
                    event("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 22, 28),
                    event("Normal", "Killing", "Container liveness1 failed liveness probe, will be restarted", 1, 28, 28),
                    event("Normal", "Pulled", "Container image \"probe-lab/liveness-app:1.0.0\" already present on machine", 2, 0, 29)));
            assertThat(OutcomeCheck.events(outcome, run)).isEmpty();
        }

        @Test
        void aMissingKillingEventFails() {
            ObservedRun run = withEvents(restartedAt(28), List.of(
                    event("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3, 22, 28)));
            assertThat(OutcomeCheck.events(outcome, run)).singleElement().asString()
                    .contains("no event Normal Killing 'Container liveness1 failed liveness probe, will be restarted'");
        }

        @Test
        void anotherStatusCodeIsNotTheCoursesEvent() {
            ObservedRun run = withEvents(restartedAt(28), List.of(
                    event("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503", 3, 22, 28),
                    event("Normal", "Killing", "Container liveness1 failed liveness probe, will be restarted", 1, 28, 28)));
            assertThat(OutcomeCheck.events(outcome, run)).singleElement().asString().contains("Unhealthy");
        }
    }

    @Nested
    class Startup {
        final LabOutcome outcome = LabStep.STARTUP_LIVENESS_ONLY.expectedOutcome();

        /** The runs a real v1.20.2 kubelet made with k8s/startup.yaml (k8s/offline-cluster): 0..6, 7..16, 16..25, 39.. */
        static ObservedRun realKubelet120() {
            return run(List.of(new ObservedRun.Run(0, 6.0, "Completed", 0), new ObservedRun.Run(7, 16.0, "Completed", 0),
                    new ObservedRun.Run(16, 25.0, "Completed", 0), new ObservedRun.Run(39, null, null, null)), List.of(), List.of());
        }

        @Test
        void theRealKubeletsRestartsPass() {
            assertThat(OutcomeCheck.restarts(outcome, realKubelet120())).isEmpty();
            assertThat(OutcomeCheck.restartRule(realKubelet120(), KubeletVersion.V1_20)).isEmpty();
        }

        @Test
        void aNearTieMayGoEitherWay() {
            // v1.20.2: run 2 ended 10 s after run 1 by the whole-second stamps, 9.x s in truth: held until +37, started +40.
            ObservedRun held = run(List.of(new ObservedRun.Run(0, 9.0, "Completed", 0), new ObservedRun.Run(10, 17.0, "Completed", 0),
                    new ObservedRun.Run(18, 27.0, "Completed", 0), new ObservedRun.Run(40, null, null, null)), List.of(), List.of());
            assertThat(OutcomeCheck.restartRule(held, KubeletVersion.V1_20)).isEmpty();
            // Not a tie: run 2 ended 12 s after run 1, so restart 3 had to come at once.
            ObservedRun notATie = run(List.of(new ObservedRun.Run(0, 9.0, "Completed", 0), new ObservedRun.Run(10, 17.0, "Completed", 0),
                    new ObservedRun.Run(18, 29.0, "Completed", 0), new ObservedRun.Run(42, null, null, null)), List.of(), List.of());
            assertThat(OutcomeCheck.restartRule(notATie, KubeletVersion.V1_20)).singleElement().asString()
                    .contains("restart #3 came at +42s; the back-off rule (at once) puts it between +29s and +31s");
        }

        @Test
        void twoRestartsOnlyFail() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt(6, 15)))
                    .singleElement().asString().contains("expected at least 3");
        }

        @Test
        void aThirdRestartThatDidNotWaitForItsBackOffBreaksTheRule() {
            // Run 1 finished at 16, run 2 was killed at 22: well under the 10 s back-off, so restart 3 waits until 32.
            ObservedRun tooSoon = run(List.of(new ObservedRun.Run(0, 6.0, "Completed", 0), new ObservedRun.Run(7, 16.0, "Completed", 0),
                    new ObservedRun.Run(16, 22.0, "Completed", 0), new ObservedRun.Run(23, null, null, null)), List.of(), List.of());
            assertThat(OutcomeCheck.restartRule(tooSoon, KubeletVersion.V1_20)).singleElement().asString()
                    .contains("restart #3 came at +23s; the back-off rule (held for 10s) puts it between +32s and +50s");
        }

        @Test
        void aHeldRestartLaterThanTheResyncAllowsBreaksTheRule() {
            ObservedRun late = run(List.of(new ObservedRun.Run(0, 6.0, "Completed", 0), new ObservedRun.Run(7, 16.0, "Completed", 0),
                    new ObservedRun.Run(16, 25.0, "Completed", 0), new ObservedRun.Run(54, null, null, null)), List.of(), List.of());
            assertThat(OutcomeCheck.restartRule(late, KubeletVersion.V1_20)).singleElement().asString().contains("restart #3 came at +54s");
            // Kubernetes 1.35 requeues a held pod closer to the back-off's end: 10 s x 0.5 + 1 s tick + 2 s create.
            ObservedRun lateFor135 = run(List.of(new ObservedRun.Run(0, 6.0, "Completed", 0), new ObservedRun.Run(7, 16.0, "Completed", 0),
                    new ObservedRun.Run(16, 25.0, "Completed", 0), new ObservedRun.Run(45, null, null, null)), List.of(), List.of());
            assertThat(OutcomeCheck.restartRule(lateFor135, KubeletVersion.V1_20)).isEmpty();
            assertThat(OutcomeCheck.restartRule(lateFor135, KubeletVersion.CURRENT)).singleElement().asString()
                    .contains("between +35s and +43s");
        }

        @Test
        void fewerKillingsThanRestartsPassOnlyOnceTheEventBudgetIsSpent() {
            // What a v1.20.2 kubelet's events showed at 2m53s, with RESTARTS 5: counts frozen at 25 events.
            List<ObservedRun.Event> frozen = new ArrayList<>(List.of(
                    event("Normal", "Pulled", "Container image \"probe-lab/startup-app:1.0.0\" already present on machine", 4, 1, 39),
                    event("Normal", "Created", "Created container startup1", 4, 1, 39),
                    event("Normal", "Started", "Started container startup1", 4, 1, 39),
                    event("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 8, 5, 47),
                    event("Normal", "Killing", "Container startup1 failed liveness probe, will be restarted", 3, 7, 26),
                    event("Warning", "BackOff", "Back-off restarting failed container", 2, 26, 27)));
            ObservedRun fiveRestarts = restartedAt(6, 15, 25, 47, 56);
            assertThat(withEvents(fiveRestarts, frozen).eventBudgetSpent()).isTrue();
            assertThat(OutcomeCheck.events(outcome, withEvents(fiveRestarts, frozen))).isEmpty();

            frozen.remove(0); // 21 kubelet events: the budget is not spent, so 3 Killing for 5 restarts is wrong
            assertThat(withEvents(fiveRestarts, frozen).eventBudgetSpent()).isFalse();
            assertThat(OutcomeCheck.events(outcome, withEvents(fiveRestarts, frozen))).singleElement().asString()
                    .contains("Killing happened 3 times for 5 restarts, and the pod's event budget is not spent");
        }

        @Test
        void bothBackOffWordingsAreTheStepsBackOff() {
            for (String message : List.of("Back-off restarting failed container",
                    "Back-off restarting failed container startup1 in pod nodeapp-startup-799c4cfbd7-fbcc9_ns(c1226908)")) {
                ObservedRun run = withEvents(restartedAt(6, 15, 25), List.of(
                        event("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 6, 4, 24),
                        event("Normal", "Killing", "Container startup1 failed liveness probe, will be restarted", 3, 6, 25),
                        event("Warning", "BackOff", message, 2, 25, 26)));
                assertThat(OutcomeCheck.events(outcome, run)).as(message).isEmpty();
            }
        }
    }

    @Nested
    class Readiness {
        final LabOutcome outcome = LabStep.READINESS.expectedOutcome();

        private ObservedRun readyAt(long seconds) {
            return run(List.of(new ObservedRun.Run(0, null, null, null)), List.of(new ObservedRun.ReadyChange(seconds, true)), List.of());
        }

        @Test
        void readyInsideItsWindowPasses() {
            assertThat(OutcomeCheck.readiness(outcome, readyAt(s(outcome.notReadyBefore())))).isEmpty();
            assertThat(OutcomeCheck.readiness(outcome, readyAt(s(outcome.readyBy())))).isEmpty();
            assertThat(OutcomeCheck.restarts(outcome, readyAt(s(outcome.readyBy())))).isEmpty();
        }

        @Test
        void readyTooEarlyFails() {
            assertThat(OutcomeCheck.readiness(outcome, readyAt(s(outcome.notReadyBefore()) - 1)))
                    .singleElement().asString().contains("turned Ready at +" + (s(outcome.notReadyBefore()) - 1) + "s, before");
        }

        @Test
        void readyTooLateFails() {
            assertThat(OutcomeCheck.readiness(outcome, readyAt(s(outcome.readyBy()) + 1))).singleElement().asString().contains("later than");
        }

        @Test
        void neverReadyFails() {
            assertThat(OutcomeCheck.readiness(outcome, restartedAt())).singleElement().asString().contains("never turned Ready");
        }

        @Test
        void anyRestartFails() {
            assertThat(OutcomeCheck.restarts(outcome, restartedAt(40))).singleElement().asString().contains("expected at most 0");
        }
    }

    @Nested
    class StartupProbe {
        final LabOutcome outcome = LabStep.STARTUP_PROBE.expectedOutcome();

        @Test
        void aRestartFails() {
            // what happens when the startup probe's budget is too small: the container is killed anyway
            assertThat(OutcomeCheck.restarts(outcome, restartedAt(30))).isNotEmpty();
        }

        @Test
        void theStartupProbesUnhealthyEventIsExpected() {
            ObservedRun startup = withEvents(restartedAt(), List.of(
                    event("Warning", "Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 500", 6, 1, 51)));
            assertThat(OutcomeCheck.events(outcome, startup)).isEmpty();
            ObservedRun liveness = withEvents(restartedAt(), List.of(
                    event("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 6, 1, 51)));
            assertThat(OutcomeCheck.events(outcome, liveness)).isNotEmpty();
        }
    }
}
