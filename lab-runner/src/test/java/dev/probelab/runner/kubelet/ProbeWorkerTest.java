package dev.probelab.runner.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The worker against a fake clock and scripted probe results. The cases of kubelet's own
 * pkg/kubelet/prober/worker_test.go come first, under the same names; then what the lab relies on
 * besides (initialDelay truncation, errors, the ticker's phase).
 */
class ProbeWorkerTest {

    private static final String FIRST = "test://first";
    private static final String SECOND = "test://newCont_ID";

    private final FakeScheduler clock = new FakeScheduler();
    private final ProbeResults results = new ProbeResults((type, id, result) -> { });
    private final List<Duration> probedAt = new ArrayList<>();
    private ProbeOutcome next = ProbeOutcome.success();
    private CompletableFuture<ProbeOutcome> pending;

    /** The container status the worker reads (the status manager's), changed by each test. */
    private ContainerSnapshot container = new ContainerSnapshot(FIRST, true, Duration.ZERO, true);

    private ProbeWorker worker(ProbeType type, int successThreshold, int failureThreshold, int initialDelay) {
        ProbeSettings spec = new ProbeSettings(new ProbeHandler.Exec(List.of("true")), initialDelay, 10, 1,
                successThreshold, failureThreshold, null);
        return new ProbeWorker(type, spec, () -> container, results, (t, s, id) -> {
            probedAt.add(clock.now());
            return pending != null ? pending : CompletableFuture.completedFuture(next);
        }, clock);
    }

    private ProbeWorker worker(ProbeType type, int successThreshold, int failureThreshold) {
        return worker(type, successThreshold, failureThreshold, 0);
    }

    /** w.doProbe() and the result handed back, as worker_test calls it. */
    private void doProbe(ProbeWorker w) {
        w.doProbe();
        clock.runPending();
    }

    private Optional<Result> result(ProbeWorker w) {
        return results.get(w.type(), w.containerId());
    }

    private void running(boolean started) {
        container = new ContainerSnapshot(container.id(), true, container.startedAt(), started);
    }

    // ---- worker_test.go -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ProbeType.class)
    void testDoProbe_noStatus_keepsGoingWithoutResult(ProbeType type) {
        container = null;
        ProbeWorker w = worker(type, 1, 3);
        doProbe(w);
        assertThat(w.containerId()).isNull();
        assertThat(probedAt).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ProbeType.class)
    void testDoProbe_containerWaitingOrTerminated_setsFailure(ProbeType type) {
        container = new ContainerSnapshot(FIRST, false, null, false);
        ProbeWorker w = worker(type, 1, 3);
        doProbe(w);
        assertThat(result(w)).contains(Result.FAILURE);
        assertThat(probedAt).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ProbeType.class)
    void testDoProbe_probeSuccessful(ProbeType type) {
        running(type != ProbeType.STARTUP);
        ProbeWorker w = worker(type, 1, 3);
        doProbe(w);
        assertThat(result(w)).contains(Result.SUCCESS);
    }

    @ParameterizedTest
    @EnumSource(ProbeType.class)
    void testInitialDelay(ProbeType type) {
        running(type != ProbeType.STARTUP);
        ProbeWorker w = worker(type, 1, 3, 10);
        doProbe(w);
        // Default value depends on probe: Success for liveness, Failure for readiness, Unknown for startup.
        Result initial = switch (type) {
            case LIVENESS -> Result.SUCCESS;
            case READINESS -> Result.FAILURE;
            case STARTUP -> Result.UNKNOWN;
        };
        assertThat(result(w)).as("during initial delay").contains(initial);
        assertThat(probedAt).isEmpty();

        clock.advance(Duration.ofSeconds(100));
        doProbe(w);
        assertThat(result(w)).as("after initial delay").contains(Result.SUCCESS);
    }

    @Test
    void testFailureThreshold() {
        ProbeWorker w = worker(ProbeType.READINESS, 1, 3);
        for (int i = 0; i < 2; i++) {
            next = ProbeOutcome.success();
            for (int j = 0; j < 3; j++) {
                doProbe(w);
                assertThat(result(w)).as("%d success (%d)", j + 1, i).contains(Result.SUCCESS);
            }
            next = ProbeOutcome.failure("x");
            for (int j = 0; j < 2; j++) {
                doProbe(w);
                assertThat(result(w)).as("%d failing (%d)", j + 1, i).contains(Result.SUCCESS);
            }
            for (int j = 0; j < 3; j++) {
                doProbe(w);
                assertThat(result(w)).as("%d failure (%d)", j + 3, i).contains(Result.FAILURE);
            }
        }
    }

    @Test
    void testSuccessThreshold() {
        ProbeWorker w = worker(ProbeType.READINESS, 3, 1);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                doProbe(w);
                assertThat(result(w)).as("%d success (%d)", j + 1, i).contains(Result.FAILURE);
            }
            for (int j = 0; j < 3; j++) {
                doProbe(w);
                assertThat(result(w)).as("%d success (%d)", j + 3, i).contains(Result.SUCCESS);
            }
            next = ProbeOutcome.failure("flake");
            doProbe(w);
            assertThat(result(w)).as("1 failure (%d)", i).contains(Result.FAILURE);
            next = ProbeOutcome.success();
        }
    }

    @Test
    void testStartupProbeSuccessThreshold() {
        running(false);
        ProbeWorker w = worker(ProbeType.STARTUP, 1, 3);
        assertThat(w.onHold()).isFalse();
        doProbe(w);
        assertThat(result(w)).contains(Result.SUCCESS);
        assertThat(w.onHold()).as("on hold once successThreshold is met").isTrue();
        assertThat(w.resultRun()).isZero();
    }

    @Test
    void testStartupProbeFailureThreshold() {
        running(false);
        next = ProbeOutcome.failure("HTTP probe failed with statuscode: 500");
        ProbeWorker w = worker(ProbeType.STARTUP, 1, 3);
        for (int i = 0; i < 2; i++) {
            doProbe(w);
            assertThat(w.onHold()).isFalse();
            assertThat(result(w)).as("%d failure", i + 1).contains(Result.UNKNOWN);
            assertThat(w.resultRun()).isEqualTo(i + 1);
        }
        doProbe(w);
        assertThat(result(w)).as("3 failures").contains(Result.FAILURE);
        assertThat(w.resultRun()).isZero();
        assertThat(w.onHold()).isTrue();
        doProbe(w);
        assertThat(probedAt).as("no probe while on hold").hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(value = ProbeType.class, names = {"LIVENESS", "STARTUP"})
    void testOnHoldOnLivenessOrStartupCheckFailure(ProbeType type) {
        running(type != ProbeType.STARTUP);
        ProbeWorker w = worker(type, 1, 1);
        next = ProbeOutcome.failure("x");
        doProbe(w);
        assertThat(result(w)).as("first probe").contains(Result.FAILURE);
        assertThat(w.onHold()).isTrue();

        next = ProbeOutcome.success();
        doProbe(w);
        assertThat(result(w)).as("while on hold").contains(Result.FAILURE);
        assertThat(w.onHold()).isTrue();
        assertThat(probedAt).hasSize(1);

        container = new ContainerSnapshot(SECOND, true, clock.now(), type != ProbeType.STARTUP);
        doProbe(w);
        assertThat(w.containerId()).isEqualTo(SECOND);
        assertThat(result(w)).as("hold lifted").contains(Result.SUCCESS);
        // A startup worker holds again after its success: it never probes a started container.
        assertThat(w.onHold()).isEqualTo(type == ProbeType.STARTUP);
    }

    @Test
    void testResultRunOnLivenessCheckFailure() {
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 3);
        probeAndExpect(w, "probe success", Result.SUCCESS, 1);

        next = ProbeOutcome.failure("x");
        probeAndExpect(w, "probe failure, result success", Result.SUCCESS, 1);
        probeAndExpect(w, "2nd probe failure, result success", Result.SUCCESS, 2);
        // Reaching failureThreshold resets the run, so the restarted container gets all its attempts.
        probeAndExpect(w, "3rd probe failure, result failure", Result.FAILURE, 0);
    }

    @Test
    void testResultRunOnStartupCheckFailure() {
        running(false);
        ProbeWorker w = worker(ProbeType.STARTUP, 1, 3);
        next = ProbeOutcome.failure("x");
        probeAndExpect(w, "probe failure", Result.UNKNOWN, 1);
        probeAndExpect(w, "2nd probe failure", Result.UNKNOWN, 2);
        probeAndExpect(w, "3rd probe failure", Result.FAILURE, 0);
    }

    /** One probe, then the worker's cached result and its run of equal results (worker.go's resultRun). */
    private void probeAndExpect(ProbeWorker w, String why, Result expected, int resultRun) {
        doProbe(w);
        assertThat(result(w)).as(why).contains(expected);
        assertThat(w.resultRun()).as(why + ": resultRun").isEqualTo(resultRun);
    }

    @Test
    void testLivenessProbeDisabledByStarted() {
        running(false);
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 1);
        next = ProbeOutcome.failure("x");
        doProbe(w);
        assertThat(result(w)).as("not started, probe failure, result success").contains(Result.SUCCESS);
        assertThat(probedAt).isEmpty();
        running(true);
        doProbe(w);
        assertThat(result(w)).as("started, probe failure, result failure").contains(Result.FAILURE);
    }

    @Test
    void testStartupProbeDisabledByStarted() {
        running(false);
        ProbeWorker w = worker(ProbeType.STARTUP, 1, 2);
        next = ProbeOutcome.failure("x");
        doProbe(w);
        assertThat(result(w)).as("not started, probe failure, result unknown").contains(Result.UNKNOWN);
        next = ProbeOutcome.success();
        doProbe(w);
        assertThat(result(w)).as("probe success, result success").contains(Result.SUCCESS);
        running(true);
        next = ProbeOutcome.failure("x");
        doProbe(w);
        assertThat(result(w)).as("started, probe failure ignored").contains(Result.SUCCESS);
        assertThat(probedAt).hasSize(2);
    }

    // ---- beyond worker_test.go: what the lab steps rely on ---------------------------------------

    @Test
    void initialDelayCountsWholeSecondsFromTheStartTruncatedToTheSecond() {
        // Started at 0.5 s; the status manager keeps that start as 0 s (normalizeStatus), and the worker
        // truncates the seconds since then: a real v1.20.2 kubelet probed a container 2.7 s after it started.
        container = new ContainerSnapshot(FIRST, true, Duration.ofMillis(500), true);
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 3, 3);
        clock.advanceTo(Duration.ofMillis(2999)); // int(2.999) = 2 < 3
        doProbe(w);
        assertThat(probedAt).isEmpty();
        clock.advanceTo(Duration.ofMillis(3000)); // 3 s after the kept start, 2.5 s after the real one
        doProbe(w);
        assertThat(probedAt).containsExactly(Duration.ofMillis(3000));
    }

    @Test
    void aProbeErrorCountsTowardNeitherThreshold() {
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 3);
        next = ProbeOutcome.failure("x");
        doProbe(w);
        doProbe(w);
        next = ProbeOutcome.error("could not exec");
        doProbe(w);
        doProbe(w);
        assertThat(result(w)).as("errors neither fail nor reset the run").contains(Result.SUCCESS);
        assertThat(w.resultRun()).isEqualTo(2);
        next = ProbeOutcome.failure("x");
        doProbe(w);
        assertThat(result(w)).contains(Result.FAILURE);
    }

    @Test
    void aFailedHttpAnswerOrRefusedConnectionIsAFailureNotAnError() {
        ProbeWorker w = worker(ProbeType.READINESS, 1, 1);
        doProbe(w);
        next = ProbeOutcome.failure("Get \"http://127.0.0.1:1/healthz\": dial tcp 127.0.0.1:1: connect: connection refused");
        doProbe(w);
        assertThat(result(w)).contains(Result.FAILURE);
    }

    @Test
    void ticksFollowThePhaseSetWhenThePodIsAdmitted() {
        // Worker started (pod admitted) at 0; the container starts at 1.5 s; initialDelay 3, period 10.
        container = null;
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 3, 3);
        w.start();
        clock.advanceSeconds(1.5);
        container = new ContainerSnapshot(FIRST, true, clock.now(), true);
        clock.advanceSeconds(40);
        // Ticks at 0, 10, 20, 30, 40: the first real probe is the first tick >= 1.5 + 3.
        assertThat(probedAt).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofSeconds(40));
        w.stop();
        clock.advanceSeconds(30);
        assertThat(probedAt).hasSize(4);
    }

    @Test
    void aTickDuringASlowProbeWaitsForIt() {
        ProbeWorker w = worker(ProbeType.READINESS, 1, 3);
        pending = new CompletableFuture<>();
        w.start(); // probe at 0 hangs
        clock.advanceSeconds(25); // ticks at 10 and 20 come while it hangs: one is kept
        assertThat(probedAt).hasSize(1);
        pending.complete(ProbeOutcome.success());
        pending = null;
        clock.runPending();
        assertThat(probedAt).containsExactly(Duration.ZERO, Duration.ofSeconds(25));
        assertThat(result(w)).contains(Result.SUCCESS);
    }

    @Test
    void aResultForAContainerThatIsGoneIsDropped() {
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 1);
        CompletableFuture<ProbeOutcome> slow = new CompletableFuture<>();
        pending = slow;
        w.doProbe(); // the first container's probe hangs
        container = new ContainerSnapshot(SECOND, true, clock.now(), true);
        pending = null;
        doProbe(w); // the new container: its initial value, then a success
        slow.complete(ProbeOutcome.failure("late answer from the old container"));
        clock.runPending();
        assertThat(results.get(ProbeType.LIVENESS, SECOND)).contains(Result.SUCCESS);
        assertThat(results.get(ProbeType.LIVENESS, FIRST)).isEmpty();
    }
}
