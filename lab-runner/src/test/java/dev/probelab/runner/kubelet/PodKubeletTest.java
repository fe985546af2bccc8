package dev.probelab.runner.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.ExpectedEvent;
import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's pod logic on a fake clock, with scripted apps: restarts on liveness and startup
 * failures, the hold until the new container, the grace period, CrashLoopBackOff and its reset,
 * startup gating, readiness, and the events' texts. The lab steps' own claims (LabStep) are checked
 * here too, on the fake clock, with the course's probe settings.
 */
class PodKubeletTest {

    private static final String HTTP_500 = "HTTP probe failed with statuscode: 500";

    private final FakeScheduler clock = new FakeScheduler();
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final List<String> probes = new ArrayList<>();
    private final List<PodEvent> events = new ArrayList<>();
    private final List<PodStatusLine> lines = new ArrayList<>();

    /** The app: what each probe attempt answers, from the probe type and the container's uptime. */
    private BiFunction<ProbeType, FakeRuntime.FakeContainer, ProbeOutcome> app = (t, c) -> ProbeOutcome.success();
    private String containerName = "app";
    /** Set: every probe's future completes exceptionally with it (the prober itself broke). */
    private RuntimeException proberThrows;

    private PodKubelet pod(Map<ProbeType, ProbeSettings> probeSettings) {
        return pod(probeSettings, "Always", PodPlan.DEFAULT_GRACE_PERIOD_SECONDS);
    }

    private PodKubelet pod(Map<ProbeType, ProbeSettings> probeSettings, String restartPolicy, long grace) {
        ContainerPlan container = new ContainerPlan(containerName, "probe-lab/liveness-app:1.0.0", List.of(), List.of(), Map.of(),
                List.of(8080), probeSettings);
        PodPlan plan = new PodPlan("lab-pod", "default", "uid-1", Map.of("app", "nodeapp"), restartPolicy, grace,
                List.of(container));
        ProbeExecutor executor = (spec, target) -> {
            ProbeType type = probeSettings.entrySet().stream().filter(e -> e.getValue() == spec).findFirst().orElseThrow().getKey();
            FakeRuntime.FakeContainer c = (FakeRuntime.FakeContainer) target;
            probes.add(type + "@" + clock.now().toMillis());
            if (proberThrows != null) {
                return java.util.concurrent.CompletableFuture.failedFuture(proberThrows);
            }
            return java.util.concurrent.CompletableFuture.completedFuture(app.apply(type, c));
        };
        PodKubelet pod = new PodKubelet(plan, runtime, executor, clock, new PodObserver() {
            @Override
            public void podChanged(PodKubelet p) {
                lines.add(p.statusLine());
            }

            @Override
            public void event(PodKubelet p, PodEvent event) {
                events.add(event);
            }
        });
        pod.admit();
        clock.runPending();
        return pod;
    }

    private static ProbeSettings http(int initialDelay, int period, int failureThreshold) {
        return http(initialDelay, period, failureThreshold, null);
    }

    private static ProbeSettings http(int initialDelay, int period, int failureThreshold, Long grace) {
        return new ProbeSettings(new ProbeHandler.HttpGet("HTTP", null, 8080, "/healthz", List.of()), initialDelay, period, 1,
                1, failureThreshold, grace);
    }

    private static Map<ProbeType, ProbeSettings> probes(Object... typeAndSettings) {
        Map<ProbeType, ProbeSettings> map = new EnumMap<>(ProbeType.class);
        for (int i = 0; i < typeAndSettings.length; i += 2) {
            map.put((ProbeType) typeAndSettings[i], (ProbeSettings) typeAndSettings[i + 1]);
        }
        return map;
    }

    /** /healthz answers 500 once the container has run longer than {@code seconds} (liveness-app's FAIL_AFTER). */
    private static BiFunction<ProbeType, FakeRuntime.FakeContainer, ProbeOutcome> failsAfter(int seconds) {
        return (t, c) -> c.uptime().compareTo(Duration.ofSeconds(seconds)) > 0 ? ProbeOutcome.failure(HTTP_500)
                : ProbeOutcome.success();
    }

    /** /healthz answers 500 until the container has run {@code seconds} (readiness-app, startup-app). */
    private static BiFunction<ProbeType, FakeRuntime.FakeContainer, ProbeOutcome> healthyAfter(int seconds) {
        return (t, c) -> c.uptime().compareTo(Duration.ofSeconds(seconds)) >= 0 ? ProbeOutcome.success()
                : ProbeOutcome.failure(HTTP_500);
    }


    private PodEvent lastEvent(String reason) {
        return events.stream().filter(e -> e.reason().equals(reason)).reduce((a, b) -> b).orElseThrow();
    }

    private List<Long> restartSeconds(PodKubelet pod) {
        return pod.restartTimes().stream().map(Duration::toMillis).map(ms -> ms / 1000).toList();
    }

    // ---- liveness ---------------------------------------------------------------------------------

    @Test
    void livenessFailureKillsAfterThreeProbesAndRestartsAtOnce() {
        app = failsAfter(5);
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 3)));
        clock.advanceSeconds(12.5);
        // Ticks 0, 3, 6, 9, 12: 3 s ok, then 500 at 6, 9, 12: killed at the third.
        assertThat(events).filteredOn(e -> e.reason().equals("Unhealthy")).extracting(PodEvent::count).containsExactly(1, 2, 3);
        assertThat(lastEvent("Unhealthy").message()).isEqualTo("Liveness probe failed: " + HTTP_500);
        assertThat(lastEvent("Killing").message()).isEqualTo("Container app failed liveness probe, will be restarted");
        assertThat(lastEvent("Killing").firstSeen()).isEqualTo(Duration.ofSeconds(12));
        assertThat(runtime.containers).hasSize(2);
        assertThat(pod.restartTimes()).containsExactly(Duration.ofSeconds(12));
        assertThat(pod.statusLine().restartsColumn()).isEqualTo("1 (0s ago)");
        assertThat(pod.statusLine().status()).isEqualTo("Running");
    }

    @Test
    void afterALivenessFailureTheWorkerHoldsUntilTheNewContainer() {
        app = failsAfter(5);
        runtime.onSigterm = FakeRuntime.OnSigterm.IGNORES; // the kill takes the whole grace period
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 3)), "Always", 10);
        clock.advanceSeconds(12);
        int probesAtKill = probes.size();
        clock.advanceSeconds(9.9);
        assertThat(probes).as("no liveness probe while the killed container stops").hasSize(probesAtKill);
        clock.advanceSeconds(0.1);
        assertThat(runtime.containers).hasSize(2); // restarted at 22 s
        // Tick 24: the new container (hold lifted), but 2 s < initialDelay 3; tick 27 probes again.
        clock.advanceSeconds(4.9);
        assertThat(probes).hasSize(probesAtKill);
        clock.advanceSeconds(0.1);
        assertThat(probes).hasSize(probesAtKill + 1);
        assertThat(pod.restarts()).isEqualTo(1);
    }

    @Test
    void killIsSigtermThenSigkillAfterThePodsGracePeriod() {
        app = failsAfter(5);
        runtime.onSigterm = FakeRuntime.OnSigterm.IGNORES;
        pod(probes(ProbeType.LIVENESS, http(3, 3, 3)));
        clock.advanceSeconds(12);
        FakeRuntime.FakeContainer first = runtime.containers.get(0);
        assertThat(first.sigtermAt).isEqualTo(Duration.ofSeconds(12));
        assertThat(first.grace).as("pod default terminationGracePeriodSeconds").isEqualTo(Duration.ofSeconds(30));
        clock.advanceSeconds(29.9);
        assertThat(first.exit).isNotDone();
        clock.advanceSeconds(0.1);
        assertThat(first.exit).isCompletedWithValue(137);
        assertThat(runtime.containers).hasSize(2);
    }

    @Test
    void aProbeLevelGracePeriodWinsOverThePods() {
        app = failsAfter(5);
        runtime.onSigterm = FakeRuntime.OnSigterm.IGNORES;
        pod(probes(ProbeType.LIVENESS, http(3, 3, 3, 4L)), "Always", 60);
        clock.advanceSeconds(12);
        assertThat(runtime.containers.get(0).grace).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void restartPolicyNeverKillsWithoutRestart() {
        app = failsAfter(5);
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 3)), "Never", 30);
        clock.advanceSeconds(60);
        assertThat(lastEvent("Killing").message()).isEqualTo("Container app failed liveness probe");
        assertThat(runtime.containers).hasSize(1);
        assertThat(pod.statusLine().status()).isEqualTo("Completed");
    }

    // ---- CrashLoopBackOff -------------------------------------------------------------------------

    @Test
    void crashLoopWaits10s20s40sUpTo300sAfterTheFirstRestarts() {
        app = healthyAfter(10_000); // never healthy: startup.yaml without its startup probe
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2)));
        clock.advance(Duration.ofMinutes(40));
        List<Long> waits = new ArrayList<>();
        for (int i = 1; i < runtime.containers.size(); i++) {
            FakeRuntime.FakeContainer killed = runtime.containers.get(i - 1);
            Duration exited = killed.sigtermAt; // it exits on SIGTERM at once
            waits.add(runtime.containers.get(i).startedAt.minus(exited).toSeconds());
        }
        // Two restarts at once (doBackOff sees no earlier exited container, then creates the entry),
        // then the back-off from the previous exit: 10 s, doubling, capped at 300 s.
        assertThat(waits).startsWith(0L, 0L, 10L, 20L, 40L, 80L, 160L, 300L);
        // At the cap, a liveness kill restarts in the same SyncPod, whose status was read before the
        // kill: doBackOff measures from the exit before, 300 s + one run ago, so every other restart
        // is at once (kuberuntime_manager computePodActions + doBackOff).
        assertThat(waits.subList(8, waits.size())).containsOnly(0L, 300L).contains(300L);
        assertThat(lastEvent("BackOff").message())
                .isEqualTo("Back-off restarting failed container app in pod lab-pod_default(uid-1)");
        assertThat(lines).anyMatch(l -> l.status().equals("CrashLoopBackOff") && l.readyContainers() == 0);
        assertThat(restartSeconds(pod)).startsWith(6L, 12L, 28L, 56L, 103L);
    }

    @Test
    void theBackOffResetsAfterTheContainerRan10Minutes() {
        // Crashes after 1 s three times, then runs 11 minutes, then crashes after 1 s again.
        runtime.crashAfter = instance -> instance == 3 ? Duration.ofMinutes(11) : Duration.ofSeconds(1);
        pod(Map.of());
        clock.advance(Duration.ofMinutes(13));
        List<Long> waits = new ArrayList<>();
        for (int i = 1; i < runtime.containers.size(); i++) {
            FakeRuntime.FakeContainer previous = runtime.containers.get(i - 1);
            Duration exited = previous.startedAt.plus(i - 1 == 3 ? Duration.ofMinutes(11) : Duration.ofSeconds(1));
            waits.add(runtime.containers.get(i).startedAt.minus(exited).toSeconds());
        }
        // A crash is seen with its own exit: 0 (no entry yet), 10, 20; after 11 good minutes the
        // entry has expired: at once again, and the next wait is back to 10 s.
        assertThat(waits).startsWith(0L, 10L, 20L, 0L, 10L);
    }

    // ---- startup ------------------------------------------------------------------------------------

    @Test
    void startupGatesLivenessAndSucceedsOnceTheAppIsUp() {
        app = healthyAfter(20);
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2), ProbeType.STARTUP, http(0, 10, 10)));
        clock.advanceSeconds(19.9);
        // The tick at 0 comes as the pod is admitted, before its container exists (as on a node).
        assertThat(probes).as("only the startup probe runs before it succeeds").containsExactly("STARTUP@10000");
        assertThat(pod.ready()).isFalse();
        assertThat(pod.statusLine().ready()).isEqualTo("0/1");
        assertThat(pod.statusLine().status()).isEqualTo("Running");
        clock.advanceSeconds(0.1);
        assertThat(pod.ready()).as("no readiness probe: Ready once started").isTrue();
        assertThat(pod.firstReadyAt()).isEqualTo(Duration.ofSeconds(20));
        clock.advanceSeconds(60);
        assertThat(probes).filteredOn(p -> p.startsWith("STARTUP")).as("never probed again").hasSize(2);
        assertThat(probes).filteredOn(p -> p.startsWith("LIVENESS")).hasSizeGreaterThan(15);
        assertThat(pod.restarts()).isZero();
        assertThat(lastEvent("Unhealthy").message()).isEqualTo("Startup probe failed: " + HTTP_500);
    }

    @Test
    void startupFailureThresholdKillsTheContainer() {
        app = healthyAfter(10_000);
        PodKubelet pod = pod(probes(ProbeType.STARTUP, http(0, 10, 3)));
        clock.advanceSeconds(30); // failures at 10, 20, 30
        assertThat(lastEvent("Killing").message()).isEqualTo("Container app failed startup probe, will be restarted");
        assertThat(pod.restarts()).isEqualTo(1);
    }

    @Test
    void startupSuccessTriggersTheReadinessProbeAtOnce() {
        app = healthyAfter(20);
        PodKubelet pod = pod(probes(ProbeType.STARTUP, http(0, 10, 10), ProbeType.READINESS, http(0, 7, 3)));
        clock.advanceSeconds(20);
        assertThat(probes).contains("READINESS@20000");
        assertThat(pod.ready()).isTrue();
    }

    // ---- readiness ----------------------------------------------------------------------------------

    @Test
    void readinessKeepsThePodOutUntilTheFirstSuccess() {
        app = healthyAfter(15);
        PodKubelet pod = pod(probes(ProbeType.READINESS, http(5, 5, 3)));
        assertThat(pod.ready()).as("readiness starts as Failure").isFalse();
        clock.advanceSeconds(14.9);
        assertThat(pod.ready()).isFalse();
        assertThat(pod.statusLine().ready()).isEqualTo("0/1");
        assertThat(lastEvent("Unhealthy").message()).isEqualTo("Readiness probe failed: " + HTTP_500);
        clock.advanceSeconds(0.1);
        assertThat(pod.ready()).isTrue();
        assertThat(pod.firstReadyAt()).isEqualTo(Duration.ofSeconds(15));
        assertThat(lines).extracting(PodStatusLine::ready).containsSubsequence("0/1", "1/1");
        assertThat(pod.restarts()).isZero();
    }

    @Test
    void aSyncAfterTheContainerStartsRunsReadinessWithoutWaitingForTheTicker() {
        // The tick at admission (0) finds no container; the sync after the start triggers the probe.
        PodKubelet pod = pod(probes(ProbeType.READINESS, http(0, 10, 3)));
        assertThat(probes).isNotEmpty().allMatch(p -> p.equals("READINESS@0"));
        assertThat(pod.ready()).isTrue();
    }

    @Test
    void aContainerWithoutReadinessOrStartupProbeIsReadyOnceRunning() {
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 3)));
        assertThat(pod.ready()).isTrue();
        assertThat(pod.statusLine().ready()).isEqualTo("1/1");
    }

    @Test
    void aProbeErrorIsAnEventButNoFailure() {
        app = (t, c) -> ProbeOutcome.error("exec: container not found");
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(0, 1, 1)));
        clock.advanceSeconds(10);
        assertThat(pod.restarts()).isZero();
        assertThat(lastEvent("Unhealthy").message())
                .isEqualTo("Liveness probe errored and resulted in unknown state: exec: container not found");
    }

    @Test
    void aProberThatThrowsIsAnErroredProbeEventButNoFailure() {
        proberThrows = new IllegalStateException("no address for container");
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(0, 1, 1), ProbeType.READINESS, http(0, 1, 1)));
        clock.advanceSeconds(10);
        assertThat(pod.restarts()).isZero();
        assertThat(probes).hasSizeGreaterThan(10);
        assertThat(events).filteredOn(e -> e.reason().equals("Unhealthy")).extracting(PodEvent::message)
                .containsOnly(
                        "Liveness probe errored and resulted in unknown state: no address for container",
                        "Readiness probe errored and resulted in unknown state: no address for container");
    }

    @Test
    void aStartErrorCountsAsAnExitedContainer() {
        runtime.startFails = instance -> instance == 0 ? new IllegalStateException("port already in use") : null;
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 3)));
        clock.advanceSeconds(1);
        assertThat(lastEvent("Failed").message()).isEqualTo("Error: port already in use");
        assertThat(runtime.containers).hasSize(1);
        assertThat(pod.restarts()).isEqualTo(1);
        assertThat(pod.restartTimes()).hasSize(1);
        assertThat(pod.statusLine().restarts()).isEqualTo(1);
        assertThat(pod.statusLine().status()).isEqualTo("Running");
    }

    // ---- the lab steps' claims, on the fake clock --------------------------------------------------

    @Test
    void livenessHttpStepShowsItsClaim() {
        Duration failAfter = Duration.ofSeconds(5);
        LabOutcome expected = LabStep.LIVENESS_HTTP.expectedOutcome(failAfter);
        app = failsAfter(5);
        containerName = "liveness1";
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 3)));
        clock.advance(expected.observeFor());
        assertThat(pod.restarts()).isBetween(expected.minRestarts(), expected.maxRestarts());
        assertThat(pod.restartTimes().get(0)).isGreaterThanOrEqualTo(expected.noRestartBefore());
        assertEvents(expected.events());
    }

    @Test
    void startupStepsShowTheirClaims() {
        Duration delay = Duration.ofSeconds(20);
        LabOutcome loop = LabStep.STARTUP_LIVENESS_ONLY.expectedOutcome(delay);
        app = healthyAfter(20);
        containerName = "startup1";
        PodKubelet withoutStartupProbe = pod(probes(ProbeType.LIVENESS, http(3, 3, 2)));
        clock.advance(loop.observeFor());
        assertThat(withoutStartupProbe.restarts()).isGreaterThanOrEqualTo(loop.minRestarts());
        assertEvents(loop.events());
    }

    @Test
    void startupProbeStepShowsItsClaim() {
        LabOutcome expected = LabStep.STARTUP_PROBE.expectedOutcome(Duration.ofSeconds(20));
        app = healthyAfter(20);
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2), ProbeType.STARTUP, http(0, 10, 10)));
        clock.advance(expected.observeFor());
        assertThat(pod.restarts()).isBetween(expected.minRestarts(), expected.maxRestarts());
        assertThat(pod.firstReadyAt()).isBetween(expected.notReadyBefore(), expected.readyBy());
        assertEvents(expected.events());
    }

    private void assertEvents(List<ExpectedEvent> expected) {
        for (ExpectedEvent e : expected) {
            assertThat(events).as("event %s", e).anyMatch(ev -> e.matches(ev.type(), ev.reason(), ev.message()));
        }
    }
}
