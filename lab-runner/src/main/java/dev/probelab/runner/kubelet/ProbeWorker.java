package dev.probelab.runner.kubelet;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One worker per (container, probe type), a line-by-line port of pkg/kubelet/prober/worker.go
 * (doProbe): initial results, initialDelay truncated to whole seconds, startup gating, errors
 * thrown away, consecutive-result thresholds, and the hold after a liveness failure (or any
 * startup result) until a new container ID appears.
 *
 * <p>Probes run on a fixed ticker of periodSeconds whose phase is set when the pod is admitted, like
 * the kubelet's time.Ticker. A tick that comes while a probe is still running waits for it (Go's
 * ticker channel holds one tick); further ticks are dropped.
 */
public final class ProbeWorker {

    /** Runs one probe attempt against a container instance. */
    @FunctionalInterface
    public interface Prober {
        CompletionStage<ProbeOutcome> probe(ProbeType type, ProbeSettings spec, String containerId);
    }

    private final ProbeType type;
    private final ProbeSettings spec;
    private final Supplier<ContainerSnapshot> status;
    private final ProbeResults results;
    private final Prober prober;
    private final Scheduler scheduler;

    // The worker's own state, named as in worker.go.
    private String containerId;
    private Result lastResult = Result.UNKNOWN;
    private int resultRun;
    private boolean onHold;

    private boolean probing;
    private boolean tickWaiting;
    private boolean stopped;
    private Cancellable ticker = () -> { };
    private int ticks;

    public ProbeWorker(ProbeType type, ProbeSettings spec, Supplier<ContainerSnapshot> status, ProbeResults results,
            Prober prober, Scheduler scheduler) {
        this.type = type;
        this.spec = spec;
        this.status = status;
        this.results = results;
        this.prober = prober;
        this.scheduler = scheduler;
    }

    /** Probes now, then every periodSeconds from now (the worker's run loop). */
    public void start() {
        Duration phase = scheduler.now();
        tick(phase);
    }

    private void tick(Duration phase) {
        if (stopped) {
            return;
        }
        trigger();
        ticks++;
        // Next tick on the fixed grid phase + k * period, so slow probes never shift it.
        Duration next = phase.plus(spec.period().multipliedBy(ticks));
        Duration delay = next.minus(scheduler.now());
        ticker = scheduler.schedule(delay.isNegative() ? Duration.ZERO : delay, () -> tick(phase));
    }

    /** A tick or a manual trigger (prober_manager's manualTriggerCh): one doProbe unless a probe is still running. */
    public void trigger() {
        if (stopped) {
            return;
        }
        if (probing) {
            tickWaiting = true;
        } else {
            doProbe();
        }
    }

    public void stop() {
        stopped = true;
        ticker.cancel();
    }

    /** worker.go doProbe, up to the probe call; the result comes back through {@link #record}. */
    void doProbe() {
        ContainerSnapshot c = status.get();
        if (c == null || c.id() == null) {
            return; // the container has not been created yet
        }
        if (!c.id().equals(containerId)) {
            if (containerId != null) {
                results.remove(type, containerId);
            }
            containerId = c.id();
            results.set(type, containerId, type.initialValue());
            onHold = false; // a new container: resume probing
        }
        if (onHold) {
            return;
        }
        if (!c.running()) {
            results.set(type, containerId, Result.FAILURE);
            return;
        }
        // int32(time.Since(StartedAt).Seconds()) < InitialDelaySeconds: whole seconds, truncated, from the
        // start time as the status manager keeps it, itself truncated to the second (LabStep.START_TRUNCATION).
        long secondsSinceStart = scheduler.now().minus(scheduler.truncatedToSecond(c.startedAt())).getSeconds();
        if (secondsSinceStart < spec.initialDelaySeconds()) {
            return;
        }
        if (c.started()) {
            if (type == ProbeType.STARTUP) {
                return; // startup is never probed again once the container has started
            }
        } else if (type != ProbeType.STARTUP) {
            return; // liveness and readiness wait for the startup probe
        }
        probing = true;
        String probed = containerId;
        prober.probe(type, spec, probed).whenComplete((outcome, failure) -> scheduler.execute(() -> {
            probing = false;
            record(probed, failure != null ? ProbeOutcome.error(String.valueOf(failure.getMessage())) : outcome);
            if (tickWaiting) {
                tickWaiting = false;
                trigger();
            }
        }));
    }

    /** worker.go doProbe after the probe call. */
    private void record(String probed, ProbeOutcome outcome) {
        if (stopped || !probed.equals(containerId) || outcome.errored()) {
            return; // a prober error is thrown away; so is a result for a container that is gone
        }
        Result result = outcome.result();
        if (lastResult == result) {
            resultRun++;
        } else {
            lastResult = result;
            resultRun = 1;
        }
        if (result == Result.FAILURE && resultRun < spec.failureThreshold()
                || result == Result.SUCCESS && resultRun < spec.successThreshold()) {
            return; // below threshold: the published result stays
        }
        results.set(type, containerId, result);
        if (type == ProbeType.LIVENESS && result == Result.FAILURE || type == ProbeType.STARTUP) {
            // The container will be restarted (or has started): no more probes until a new container ID.
            onHold = true;
            resultRun = 0;
        }
    }

    public ProbeType type() {
        return type;
    }

    boolean onHold() {
        return onHold;
    }

    int resultRun() {
        return resultRun;
    }

    String containerId() {
        return containerId;
    }
}
