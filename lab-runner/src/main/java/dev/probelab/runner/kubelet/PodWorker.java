package dev.probelab.runner.kubelet;

import dev.probelab.lab.kubelet.CrashLoopBackOff;
import dev.probelab.lab.kubelet.KubeletVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The kubelet's syncs of one pod's containers, as far as the lab needs them: start, kill, and restart
 * with the CrashLoopBackOff back-off (pkg/kubelet/kuberuntime/kuberuntime_manager.go, computePodActions
 * and doBackOff; kuberuntime_container.go killContainer), and when a pod is synced again
 * (pkg/kubelet/pod_workers.go). Here it is decided when a restart happens.
 */
final class PodWorker {

    private final PodKubelet pod;
    private final PodPlan plan;
    private final Collection<ContainerState> containers;
    private final ContainerRuntime runtime;
    private final Scheduler scheduler;
    private final KubeletVersion version;
    private final CrashLoopBackOff backOff;
    private Duration lastSyncAt = Duration.ZERO;
    private boolean stopping;

    PodWorker(PodKubelet pod, PodPlan plan, Collection<ContainerState> containers, ContainerRuntime runtime,
            Scheduler scheduler, KubeletVersion version) {
        this.pod = pod;
        this.plan = plan;
        this.containers = containers;
        this.runtime = runtime;
        this.scheduler = scheduler;
        this.version = version;
        this.backOff = new CrashLoopBackOff(scheduler::now);
    }

    /** Whether the pod is being stopped: what its containers do now is not the lab's. */
    boolean stopping() {
        return stopping;
    }

    void startAll() {
        containers.forEach(this::startInstance);
    }

    private void startInstance(ContainerState c) {
        int instance = c.instances++;
        c.pendingStart = true;
        if (instance == 0) {
            c.waitingReason = "ContainerCreating";
            pod.statusChanged();
        }
        // EnsureImageExists: the image is there (nothing is pulled); one Pulled event per start.
        pod.record(PodEvent.NORMAL, "Pulled", "kubelet", version.pulledMessage(c.plan.image()));
        runtime.start(plan, c.plan, instance).whenComplete((running, failure) ->
                scheduler.execute(() -> started(c, running, failure)));
    }

    private void started(ContainerState c, RunningContainer running, Throwable failure) {
        c.pendingStart = false;
        if (stopping) {
            if (running != null) {
                running.stop(Duration.ZERO).whenComplete((code, e) -> running.remove());
            }
            return;
        }
        // A new container, started or not: the one that exited before it (a StartError too) is a restart.
        replacesExited(c);
        if (failure != null) {
            // Treated as a container that exited at once (exit code 128): the restart goes through the back-off.
            pod.record(PodEvent.WARNING, "Failed", "kubelet", "Error: " + PodKubelet.rootMessage(failure));
            c.state = ContainerState.State.TERMINATED;
            c.terminatedReason = "StartError";
            c.finishedAt = scheduler.now();
            pod.statusChanged();
            restartAfterExit(c, c.finishedAt, false);
            return;
        }
        if (c.current != null) {
            c.current.remove();
        }
        c.current = running;
        c.state = ContainerState.State.RUNNING;
        c.startedAt = scheduler.now();
        c.runs.add(new ContainerState.RunTimes(c.startedAt, null, null, null));
        pod.record(PodEvent.NORMAL, "Created", "kubelet", version.createdMessage(c.plan.name()));
        pod.record(PodEvent.NORMAL, "Started", "kubelet", version.startedMessage(c.plan.name()));
        synced();
        String id = running.id();
        running.exit().whenComplete((code, e) -> scheduler.execute(() -> exited(c, id, code == null ? 255 : code)));
        pod.containerStarted(c);
    }

    /**
     * The kubelet keeps the newest exited container; its finish time is what doBackOff looks at. A
     * container created after one that exited (or failed to start) counts as a restart.
     */
    private void replacesExited(ContainerState c) {
        if (c.finishedAt != null) {
            c.previousFinishedAt = c.finishedAt;
            c.restartCount++;
            c.lastTerminationFinishedAt = c.finishedAt;
        }
    }

    private void exited(ContainerState c, String id, int exitCode) {
        if (c.current == null || !c.current.id().equals(id) || c.state != ContainerState.State.RUNNING) {
            return;
        }
        c.state = ContainerState.State.TERMINATED;
        c.terminatedReason = exitCode == 0 ? "Completed" : "Error";
        c.finishedAt = scheduler.now();
        ContainerState.RunTimes run = c.runs.remove(c.runs.size() - 1);
        c.runs.add(new ContainerState.RunTimes(run.started(), c.finishedAt, c.terminatedReason, exitCode));
        synced();
        boolean wasKilled = c.killing;
        c.killing = false;
        if (stopping) {
            return;
        }
        if (wasKilled && restartPolicyRestarts(exitCode, true)) {
            // computePodActions kills and restarts in one SyncPod, whose status was read before the kill:
            // doBackOff sees the container that exited before this one, if any. The pod's status is
            // written when that sync ends, so a watch goes from this run straight to the next (or to
            // CrashLoopBackOff), never through Completed.
            restartAfterExit(c, c.previousFinishedAt, true);
            return;
        }
        pod.statusChanged();
        if (!wasKilled && restartPolicyRestarts(exitCode, false)) {
            restartAfterExit(c, c.finishedAt, false);
        }
    }

    /**
     * kuberuntime_manager doBackOff: no exited container in the status read, start at once; in
     * back-off since that container's finish, hold the start; else advance the back-off and start.
     *
     * @param afterKill the sync also killed the container, so its death is seen (and the pod synced) again
     */
    private void restartAfterExit(ContainerState c, Duration newestExitedFinishedAt, boolean afterKill) {
        if (newestExitedFinishedAt == null) {
            startInstance(c);
            return;
        }
        String key = backOffKey(c);
        if (backOff.isInBackOffSince(key, newestExitedFinishedAt)) {
            hold(c, afterKill);
            return;
        }
        backOff.next(key, newestExitedFinishedAt);
        startInstance(c);
    }

    /**
     * A sync that found the restart in back-off: a BackOff event, the container waiting in
     * CrashLoopBackOff, and another sync later: within {@link KubeletVersion#PLEG_RELIST} when the
     * kubelet's relist sees the killed container's death, else when the pod worker requeues the pod.
     * Each later sync decides with this container, now the newest exited one.
     */
    private void hold(ContainerState c, boolean deathNotSeenYet) {
        lastSyncAt = scheduler.now();
        pod.record(PodEvent.WARNING, "BackOff", "kubelet", version.backOffMessage(c.plan.name(), plan.kubeletName()));
        if (c.state != ContainerState.State.WAITING) {
            c.state = ContainerState.State.WAITING;
            c.waitingReason = "CrashLoopBackOff";
            pod.statusChanged();
        }
        Duration now = scheduler.now();
        Duration next = deathNotSeenYet ? now.plus(KubeletVersion.PLEG_RELIST)
                : version.nextSyncOfHeldPod(now, backOff.backOffEnds(backOffKey(c), c.finishedAt));
        c.pendingRestart = scheduler.schedule(next.minus(now), () -> {
            c.pendingRestart = null;
            if (!stopping) {
                restartAfterExit(c, c.finishedAt, false);
            }
        });
    }

    private String backOffKey(ContainerState c) {
        return plan.name() + "_" + plan.namespace() + "_" + plan.uid() + "_" + c.plan.name();
    }

    private boolean restartPolicyRestarts(int exitCode, boolean killedByProbe) {
        return switch (plan.restartPolicy()) {
            case "Never" -> false;
            // A probe kill counts as a failure whatever the exit code.
            case "OnFailure" -> killedByProbe || exitCode != 0;
            default -> true;
        };
    }

    /** A liveness or startup Failure: SIGTERM, then SIGKILL after the grace period. */
    void kill(ContainerState c, ProbeType cause) {
        if (c.killing || c.state != ContainerState.State.RUNNING) {
            return;
        }
        c.killing = true;
        lastSyncAt = scheduler.now();
        boolean restarts = !"Never".equals(plan.restartPolicy());
        String what = cause == ProbeType.STARTUP ? "startup" : "liveness";
        pod.record(PodEvent.NORMAL, "Killing", "kubelet",
                "Container " + c.plan.name() + " failed " + what + " probe" + (restarts ? ", will be restarted" : ""));
        c.current.stop(gracePeriod(c, cause));
    }

    /** killContainer: the probe's terminationGracePeriodSeconds, else the pod's. */
    private Duration gracePeriod(ContainerState c, ProbeType cause) {
        Long probeGrace = c.plan.probes().get(cause).terminationGracePeriodSeconds();
        return Duration.ofSeconds(probeGrace != null ? probeGrace : plan.terminationGracePeriodSeconds());
    }

    /**
     * 1.20 records a startup result without syncing the pod: a started container counts as Ready only at
     * the next sync, the periodic one at the latest.
     */
    void awaitSync(ContainerState c) {
        c.startedUnsynced = true;
        scheduler.schedule(lastSyncAt.plus(version.periodicPodSync()).minus(scheduler.now()), this::synced);
    }

    /**
     * A pod sync, as the ones this model has: a container's start and death (seen by the kubelet's relist),
     * a kill, a held restart's sync, the periodic one. Its status then counts every started container.
     */
    private void synced() {
        lastSyncAt = scheduler.now();
        boolean changed = false;
        for (ContainerState c : containers) {
            changed |= c.startedUnsynced;
            c.startedUnsynced = false;
        }
        if (changed) {
            pod.statusChanged();
        }
    }

    /** Stops every container: SIGTERM, then SIGKILL after {@code grace}; no more restarts. */
    CompletableFuture<Void> shutdown(Duration grace) {
        stopping = true;
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (ContainerState c : containers) {
            if (c.pendingRestart != null) {
                c.pendingRestart.cancel();
            }
            RunningContainer running = c.current;
            if (running != null) {
                stops.add(running.stop(grace).toCompletableFuture()
                        .handle((code, e) -> {
                            running.remove();
                            return null;
                        }));
            }
        }
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
    }

    /** Whether a container start is still on its way (shutdown must wait for it to stop it). */
    boolean starting() {
        return containers.stream().anyMatch(c -> c.pendingStart);
    }
}
