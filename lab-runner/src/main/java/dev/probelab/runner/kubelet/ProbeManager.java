package dev.probelab.runner.kubelet;

import java.util.Collection;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The probes of one pod (pkg/kubelet/prober/prober_manager.go): a worker per container and probe type,
 * their published results, the Unhealthy events of failed attempts (prober.go), and what a pod sync
 * makes of the results (UpdatePodStatus: started and ready). Result changes go to the pod.
 */
final class ProbeManager {

    private final PodKubelet pod;
    private final ProbeExecutor executor;
    private final Scheduler scheduler;
    private final ProbeResults results;
    private final Map<ContainerState, Map<ProbeType, ProbeWorker>> workers = new IdentityHashMap<>();

    ProbeManager(PodKubelet pod, Collection<ContainerState> containers, ProbeExecutor executor, Scheduler scheduler) {
        this.pod = pod;
        this.executor = executor;
        this.scheduler = scheduler;
        this.results = new ProbeResults(this::resultChanged);
        for (ContainerState c : containers) {
            Map<ProbeType, ProbeWorker> own = new EnumMap<>(ProbeType.class);
            for (Map.Entry<ProbeType, ProbeSettings> probe : c.plan.probes().entrySet()) {
                own.put(probe.getKey(), new ProbeWorker(probe.getKey(), probe.getValue(), () -> snapshot(c), results,
                        (type, spec, containerId) -> probe(c, type, spec), scheduler));
            }
            workers.put(c, own);
        }
    }

    /** AddPod: every worker starts now, which sets its ticker's phase. */
    void start() {
        workers.values().forEach(w -> w.values().forEach(ProbeWorker::start));
    }

    void stop() {
        workers.values().forEach(w -> w.values().forEach(ProbeWorker::stop));
    }

    private ContainerSnapshot snapshot(ContainerState c) {
        return c.current == null ? null
                : new ContainerSnapshot(c.current.id(), c.state == ContainerState.State.RUNNING, c.startedAt, isStarted(c));
    }

    private CompletionStage<ProbeOutcome> probe(ContainerState c, ProbeType type, ProbeSettings spec) {
        return executor.probe(spec, c.current)
                // A prober that throws could not run the probe: an error, which the worker throws away.
                .exceptionally(e -> ProbeOutcome.error(PodKubelet.rootMessage(e)))
                .thenApply(outcome -> {
                    scheduler.execute(() -> recordProbeEvent(type, outcome));
                    return outcome;
                });
    }

    /** prober.go: every failed attempt is an Unhealthy event, whatever the thresholds make of it. */
    private void recordProbeEvent(ProbeType type, ProbeOutcome outcome) {
        if (outcome.errored()) {
            pod.record(PodEvent.WARNING, "Unhealthy", "kubelet", type.title() + " probe errored and resulted in "
                    + outcome.result().lowerCase() + " state: " + outcome.error());
        } else if (outcome.result() == Result.FAILURE) {
            pod.record(PodEvent.WARNING, "Unhealthy", "kubelet", type.title() + " probe failed: " + outcome.output());
        } else if (outcome.warning()) {
            pod.record(PodEvent.WARNING, "ProbeWarning", "kubelet", type.title() + " probe warning: " + outcome.output());
        }
    }

    private void resultChanged(ProbeType type, String containerId, Result result) {
        for (ContainerState c : workers.keySet()) {
            if (c.current != null && c.current.id().equals(containerId)) {
                pod.probeResultChanged(c, type, result);
                return;
            }
        }
    }

    /** UpdatePodStatus: started = running and (startup Success, or no startup probe). */
    boolean isStarted(ContainerState c) {
        if (!c.running()) {
            return false;
        }
        Optional<Result> startup = results.get(ProbeType.STARTUP, c.current.id());
        return startup.isPresent() ? startup.get() == Result.SUCCESS : !workers.get(c).containsKey(ProbeType.STARTUP);
    }

    /** UpdatePodStatus: ready = started and (readiness Success, or no readiness probe). */
    boolean isReady(ContainerState c) {
        if (!isStarted(c) || c.startedUnsynced) {
            return false;
        }
        Optional<Result> readiness = results.get(ProbeType.READINESS, c.current.id());
        return readiness.isPresent() ? readiness.get() == Result.SUCCESS : !workers.get(c).containsKey(ProbeType.READINESS);
    }

    /**
     * What each pod sync does for probes (prober_manager UpdatePodStatus): a started container that is not
     * ready gets its readiness probe run now, besides its ticker. Posted, as the kubelet sends on the
     * worker's channel.
     */
    void syncReadiness(ContainerState c) {
        ProbeWorker readiness = workers.get(c).get(ProbeType.READINESS);
        if (readiness != null && isStarted(c) && !isReady(c)) {
            scheduler.execute(readiness::trigger);
        }
    }
}
