package dev.probelab.runner.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.PodSpecs;
import dev.probelab.lab.OutcomeCheck;
import dev.probelab.lab.kubelet.KubeletVersion;
import dev.probelab.runner.output.PodPrinter;
import dev.probelab.runner.output.PodStatusLine;
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
    private KubeletVersion version = KubeletVersion.CURRENT;

    private PodKubelet pod(Map<ProbeType, ProbeSettings> probeSettings) {
        return pod(probeSettings, "Always", PodSpecs.DEFAULT_GRACE_PERIOD.toSeconds());
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
                lines.add(line(p));
            }

            @Override
            public void event(PodKubelet p, PodEvent event) {
                events.add(event);
            }
        }, version);
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

    /** The pod's `kubectl get pods` row now. */
    private PodStatusLine line(PodKubelet pod) {
        return PodPrinter.line(pod.status(), version.showsLastRestartAge());
    }

    /** What the pod did so far, as the checks read it (no pod lines: the console is not part of this test). */
    private ObservedRun observed(PodKubelet pod) {
        return pod.observedRun(clock.now(), List.of());
    }

    /** When each restart started its container, seconds after the first start. */
    private List<Double> restartSeconds(PodKubelet pod) {
        List<ObservedRun.Run> runs = observed(pod).runs();
        return runs.subList(1, runs.size()).stream().map(ObservedRun.Run::startedAt).toList();
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
        assertThat(restartSeconds(pod)).containsExactly(12.0);
        assertThat(line(pod).restartsColumn()).isEqualTo("1 (0s ago)");
        assertThat(line(pod).status()).isEqualTo("Running");
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
        assertThat(line(pod).status()).isEqualTo("Completed");
    }

    // ---- CrashLoopBackOff -------------------------------------------------------------------------

    @Test
    void crashLoopHoldsTheThirdRestartAndLaterOnesByTheBackOffRule() {
        app = healthyAfter(10_000); // never healthy: startup.yaml without its startup probe
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2)));
        clock.advance(Duration.ofMinutes(40));
        ObservedRun run = observed(pod);
        // Every restart went as the kubelet's rule says (RestartReplay: at once, or held by the back-off and
        // started by the next sync of the held pod), checked by the same code that judges a real cluster.
        assertThat(OutcomeCheck.restartRule(run, version)).isEmpty();
        var decisions = dev.probelab.lab.kubelet.RestartReplay.decisions(run);
        // Two restarts at once (doBackOff sees no exited container, then one with no back-off entry yet);
        // runs of 6 s are shorter than the back-off from then on, so it holds the 3rd restart.
        assertThat(decisions.subList(0, 3)).extracting(d -> d.held()).containsExactly(false, false, true);
        assertThat(decisions).extracting(d -> d.backOff().toSeconds()).contains(10L, 20L, 40L, 80L, 160L, 300L);
        // At the cap, a kill restarts in the sync whose status was read before it: measured from the run
        // before, 300 s and one run ago, so from then on every other restart goes at once.
        List<Boolean> atTheCap = decisions.stream().filter(d -> d.backOff().toSeconds() == 300).map(d -> d.held()).toList();
        assertThat(atTheCap).hasSizeGreaterThan(4).contains(true, false);
        assertThat(lastEvent("BackOff").message())
                .isEqualTo("Back-off restarting failed container app in pod lab-pod_default(uid-1)");
        assertThat(lines).anyMatch(l -> l.status().equals("CrashLoopBackOff") && l.readyContainers() == 0);
        // Seen as the kubelet sees it: the held pod is synced again when its death is relisted (1 s), then
        // after 1.25 x the back-off left (pod_workers' requeue, jitter's middle): restart 3 comes 12.25 s
        // after run 2 ended; a watch never shows Completed or Error between a kill and its restart.
        assertThat(restartSeconds(pod).subList(0, 3)).containsExactly(6.0, 12.0, 30.3);
        assertThat(lines).noneMatch(l -> l.status().equals("Completed") || l.status().equals("Error"));
    }

    @Test
    void onKubelet120AHeldRestartWaitsForTheRequeueOf10To15s() {
        version = KubeletVersion.V1_20;
        app = healthyAfter(10_000);
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2)));
        clock.advanceSeconds(60);
        // Run 2 ends at 18 s, held; its death is relisted at 19 s (held again), requeued 12.5 s later.
        assertThat(restartSeconds(pod).subList(0, 3)).containsExactly(6.0, 12.0, 31.5);
        assertThat(events).filteredOn(e -> e.reason().equals("BackOff")).extracting(PodEvent::count).containsExactly(1, 2);
        assertThat(lastEvent("BackOff").message()).isEqualTo("Back-off restarting failed container");
        assertThat(lastEvent("Created").message()).isEqualTo("Created container app");
        assertThat(lastEvent("Pulled").message()).isEqualTo("Container image \"probe-lab/liveness-app:1.0.0\" already present on machine");
        assertThat(line(pod).restartsColumn()).as("no (Xs ago) before 1.22").matches("\\d+");
    }

    @Test
    void everyStartIsPulledCreatedStartedInTheCurrentWording() {
        app = failsAfter(5);
        pod(probes(ProbeType.LIVENESS, http(3, 3, 3)));
        clock.advanceSeconds(13);
        assertThat(events).filteredOn(e -> List.of("Pulled", "Created", "Started").contains(e.reason()))
                .extracting(e -> e.reason() + " x" + e.count() + ": " + e.message())
                .containsExactly(
                        "Pulled x1: Container image \"probe-lab/liveness-app:1.0.0\" already present on machine and can be accessed by the pod",
                        "Created x1: Container created", "Started x1: Container started",
                        "Pulled x2: Container image \"probe-lab/liveness-app:1.0.0\" already present on machine and can be accessed by the pod",
                        "Created x2: Container created", "Started x2: Container started");
    }

    @Test
    void theKubeletsEventBudgetFreezesTheCountsAt25() {
        app = healthyAfter(10_000);
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2)));
        clock.advance(Duration.ofMinutes(4));
        ObservedRun run = observed(pod);
        assertThat(run.kubeletEventCount()).isEqualTo(LabStep.KUBELET_EVENT_BURST);
        assertThat(run.eventBudgetSpent()).isTrue();
        int killings = run.events().stream().filter(e -> e.reason().equals("Killing")).mapToInt(ObservedRun.Event::count).sum();
        assertThat(killings).as("Killing stops counting").isLessThan(run.restarts());
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
        // A crash is seen with its own exit: at once (no entry yet), then held 10 s, 20 s, each started by
        // the held pod's next sync, 1.25 x the back-off later (KubeletVersion.nextSyncOfHeldPod); after 11
        // good minutes the entry has expired: at once again, and the next hold is back to 10 s.
        assertThat(waits).startsWith(0L, 12L, 25L, 0L, 12L);
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
        assertThat(line(pod).ready()).isEqualTo("0/1");
        assertThat(line(pod).status()).isEqualTo("Running");
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
    void onKubelet120AStartedContainerTurnsReadyOnlyAtThePodsNextSync() {
        // Measured on v1.20.2 (k8s/startup-probe.yaml): started at 69 s of pod age, Ready at 93 s.
        version = KubeletVersion.V1_20;
        app = healthyAfter(20);
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2), ProbeType.STARTUP, http(0, 10, 10)));
        clock.advanceSeconds(20);
        assertThat(lines).last().extracting(PodStatusLine::ready, PodStatusLine::status).containsExactly("0/1", "Running");
        assertThat(pod.ready()).as("started, but no pod sync since").isFalse();
        // The last sync was the container's start, at 0 s: the periodic one comes 75 s later (60 s, jitter's middle).
        clock.advanceSeconds(54.9);
        assertThat(pod.ready()).isFalse();
        clock.advanceSeconds(0.1);
        assertThat(pod.ready()).isTrue();
        assertThat(pod.firstReadyAt()).isEqualTo(Duration.ofSeconds(75));
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
        assertThat(line(pod).ready()).isEqualTo("0/1");
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
        assertThat(line(pod).ready()).isEqualTo("1/1");
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
        assertThat(observed(pod).runs()).as("the start that failed is no run").hasSize(1);
        assertThat(line(pod).restarts()).isEqualTo(1);
        assertThat(line(pod).status()).isEqualTo("Running");
    }

    // ---- the lab steps' claims, on the fake clock, judged by the checker the cluster tests use -------

    @Test
    void livenessHttpStepShowsItsClaim() {
        LabOutcome expected = LabStep.LIVENESS_HTTP.expectedOutcome(Duration.ofSeconds(5));
        app = failsAfter(5);
        containerName = "liveness1";
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 3)));
        clock.advance(expected.observeFor());
        assertThat(OutcomeCheck.check(expected, observed(pod), version)).isEmpty();
    }

    @Test
    void startupStepShowsItsClaimOnBothKubeletVersions() {
        for (KubeletVersion v : KubeletVersion.values()) {
            version = v;
            events.clear();
            LabOutcome loop = LabStep.STARTUP_LIVENESS_ONLY.expectedOutcome(Duration.ofSeconds(20));
            app = healthyAfter(20);
            containerName = "startup1";
            PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2)));
            clock.advance(loop.observeFor());
            assertThat(OutcomeCheck.check(loop, observed(pod), version)).as("%s", v).isEmpty();
            pod.shutdown(Duration.ZERO);
            clock.runPending();
        }
    }

    @Test
    void startupProbeStepShowsItsClaim() {
        LabOutcome expected = LabStep.STARTUP_PROBE.expectedOutcome(Duration.ofSeconds(20));
        app = healthyAfter(20);
        containerName = "startup1";
        PodKubelet pod = pod(probes(ProbeType.LIVENESS, http(3, 3, 2), ProbeType.STARTUP, http(0, 10, 10)));
        clock.advance(expected.observeFor());
        assertThat(OutcomeCheck.check(expected, observed(pod), version)).isEmpty();
    }
}
