package dev.probelab.kindtests;

import static dev.probelab.kindtests.Fixtures.T0;
import static dev.probelab.kindtests.Fixtures.id;
import static dev.probelab.kindtests.Fixtures.pod;
import static dev.probelab.kindtests.Fixtures.running;
import static dev.probelab.kindtests.Fixtures.status;
import static dev.probelab.kindtests.Fixtures.terminated;
import static dev.probelab.kindtests.Fixtures.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.ObservedRun;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class PodTimelineTest {

    KubernetesClient client;

    private static PodTimeline timeline(Pod... pods) {
        PodTimeline t = new PodTimeline(Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
        for (Pod p : pods) {
            t.record(p);
        }
        return t;
    }

    @Test
    void readsRunsAndRestartCountsOfALivenessRestart() {
        PodTimeline t = timeline(
                pod("nodeapp-liveness-5cc89fd495-wtq4x", null, false, 0),
                pod("nodeapp-liveness-5cc89fd495-wtq4x", status("liveness1", id(0), 0, running(0), null, true), true, 1),
                // the kubelet killed run 0 at +28; run 1 started at +29
                pod("nodeapp-liveness-5cc89fd495-wtq4x",
                        status("liveness1", id(1), 1, running(29), terminated(id(0), 0, 28, 143, "Error"), true), true, 30));

        assertThat(t.podNames()).containsExactly("nodeapp-liveness-5cc89fd495-wtq4x");
        assertThat(t.maxRestartCount("liveness1")).isEqualTo(1);
        assertThat(t.restartCountWhenFirstRunning("liveness1")).contains(0);
        assertThat(t.firstStart("liveness1")).contains(T0);
        assertThat(t.runs("liveness1")).containsExactly(
                new ContainerRun(id(0), T0, T0.plusSeconds(28), 143, "Error"),
                new ContainerRun(id(1), T0.plusSeconds(29), null, null, null));
        assertThat(t.runs("liveness1").get(0).lifetime()).contains(Duration.ofSeconds(28));
        assertThat(t.readyTransitions()).containsExactly(T0.plusSeconds(1), T0.plusSeconds(30));
        assertThat(t.isReadyNow()).isTrue();
    }

    @Test
    void aRunThatLivedAndDiedBetweenTwoStatusesStillCounts() {
        // run 1 (+10..+18) was never seen running: the later status names it in lastState
        PodTimeline t = timeline(
                pod("nodeapp-startup-799c4cfbd7-fbcc9", status("startup1", id(0), 0, running(0), null, true), true, 0),
                pod("nodeapp-startup-799c4cfbd7-fbcc9",
                        status("startup1", id(1), 1, waiting("CrashLoopBackOff"), terminated(id(1), 10, 18, 143, "Error"), false),
                        false, 18),
                pod("nodeapp-startup-799c4cfbd7-fbcc9",
                        status("startup1", id(2), 2, running(33), terminated(id(1), 10, 18, 143, "Error"), true), true, 33));

        assertThat(t.runs("startup1")).extracting(ContainerRun::containerId).containsExactly(id(0), id(1), id(2));
        assertThat(t.runs("startup1").get(0).finishedAt()).isNull(); // its end was never reported: unknown, not made up
        assertThat(t.maxRestartCount("startup1")).isEqualTo(2);
        assertThat(t.isReadyNow()).isTrue();
    }

    @Test
    void noStatusMeansNothingStarted() {
        PodTimeline t = timeline(pod("liveness2", null, false, 0));
        assertThat(t.runs("liveness2")).isEmpty();
        assertThat(t.firstStart("liveness2")).isEmpty();
        assertThat(t.firstSeenRunning("liveness2")).isEmpty();
        assertThat(t.maxRestartCount("liveness2")).isZero();
    }

    @Test
    void recordsEveryChangeAWatchDelivers() {
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName("probe-lab-test").endMetadata().build();
        client.namespaces().resource(ns).create();
        try (PodTimeline t = PodTimeline.watch(client, "probe-lab-test")) {
            Pod pending = pod("liveness2", null, false, 0);
            client.pods().inNamespace("probe-lab-test").resource(pending).create();
            Waits.until("the pod in the timeline", Duration.ofSeconds(10), Duration.ofMillis(100),
                    t::podNames, names -> names.contains("liveness2"));

            Pod started = new PodBuilder(client.pods().inNamespace("probe-lab-test").withName("liveness2").get())
                    .editStatus().withPhase("Running")
                    .addToContainerStatuses(status("liveness2", id(0), 0, running(0), null, true)).endStatus().build();
            client.pods().inNamespace("probe-lab-test").resource(started).updateStatus();

            Waits.until("the running container in the timeline", Duration.ofSeconds(10), Duration.ofMillis(100),
                    () -> t.firstSeenRunning("liveness2"), java.util.Optional::isPresent);
            assertThat(t.firstStart("liveness2")).contains(T0);
            assertThat(t.snapshots()).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    // ---- what the checks read (dev.probelab.lab.OutcomeCheck judges it)

    @Test
    void runsComeFromStateAndLastStateEvenWhenARunWasNeverSeenRunning() {
        PodTimeline t = timeline(
                pod("p", status("startup1", id(0), 0, running(0), null, true), true, 0),
                // run 1 lived and died between two statuses: only the next status's lastState shows it
                pod("p", status("startup1", id(2), 2, running(16), terminated(id(1), 7, 16, 0, "Completed"), true), true, 16));
        assertThat(t.observedRuns("startup1", Fixtures.T0)).containsExactly(
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
        assertThat(t.readyChanges(Fixtures.T0)).containsExactly(new ObservedRun.ReadyChange(0, false), new ObservedRun.ReadyChange(62, true));
    }
}
