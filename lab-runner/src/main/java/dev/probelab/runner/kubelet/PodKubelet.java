package dev.probelab.runner.kubelet;

import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.kubelet.CrashLoopBackOff;
import dev.probelab.lab.kubelet.KubeletVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the kubelet does for one pod, on the scheduler's thread: start its containers, run a probe
 * worker per (container, probe type), react to published results (kill and restart on a liveness or
 * startup Failure, readiness to the Ready condition), restart exited containers with the
 * CrashLoopBackOff back-off, and record the events `kubectl describe pod` would show.
 *
 * <p>Sources: pkg/kubelet/prober (workers, prober_manager's UpdatePodStatus), kuberuntime_manager
 * (computePodActions, doBackOff), kuberuntime_container (killContainer), pod_workers (the re-sync of a
 * held pod), kubectl's printPod. What depends on the kubelet's version comes from {@link KubeletVersion}.
 */
public final class PodKubelet {

    /** The node name in the Scheduled event. */
    public static final String NODE = "local";

    private final PodPlan plan;
    private final ContainerRuntime runtime;
    private final ProbeExecutor probeExecutor;
    private final Scheduler scheduler;
    private final PodObserver observer;
    private final KubeletVersion version;
    private final CrashLoopBackOff backOff;
    private final EventRecorder events;
    private final ProbeResults results;
    private final Map<String, ContainerState> containers = new LinkedHashMap<>();

    private Duration createdAt;
    private Duration firstStartedAt;
    private Duration firstReadyAt;
    private boolean ready;
    private boolean stopping;
    private final List<ReadyChange> readyChanges = new ArrayList<>();
    private Duration lastSyncAt = Duration.ZERO;

    /** One run of a container, on the scheduler's clock; finished null while it runs. */
    private record RunTimes(Duration started, Duration finished, String reason, Integer exitCode) {
    }

    private record ReadyChange(Duration at, boolean ready) {
    }

    public PodKubelet(PodPlan plan, ContainerRuntime runtime, ProbeExecutor probeExecutor, Scheduler scheduler,
            PodObserver observer, KubeletVersion version) {
        this.plan = plan;
        this.runtime = runtime;
        this.probeExecutor = probeExecutor;
        this.scheduler = scheduler;
        this.observer = observer;
        this.version = version;
        this.backOff = new CrashLoopBackOff(scheduler::now);
        this.events = new EventRecorder(scheduler::now, event -> observer.event(this, event));
        this.results = new ProbeResults(this::resultChanged);
        for (ContainerPlan c : plan.containers()) {
            containers.put(c.name(), new ContainerState(c));
        }
    }

    /** The pod is bound to this node: workers start (their tick phase is set now), containers are created. */
    public void admit() {
        createdAt = scheduler.now();
        observer.podChanged(this);
        record(PodEvent.NORMAL, "Scheduled", "default-scheduler",
                "Successfully assigned " + plan.namespace() + "/" + plan.name() + " to " + NODE);
        for (ContainerState c : containers.values()) {
            for (Map.Entry<ProbeType, ProbeSettings> probe : c.plan.probes().entrySet()) {
                ProbeWorker worker = new ProbeWorker(probe.getKey(), probe.getValue(), c::snapshot, results,
                        (type, spec, containerId) -> probe(c, type, spec), scheduler);
                c.workers.put(probe.getKey(), worker);
            }
            c.workers.values().forEach(ProbeWorker::start);
            startInstance(c);
        }
    }

    // ---- containers -------------------------------------------------------------------------

    private void startInstance(ContainerState c) {
        int instance = c.instances++;
        c.pendingStart = true;
        if (instance == 0) {
            c.waitingReason = "ContainerCreating";
            podStatusChanged();
        }
        // EnsureImageExists: the image is there (nothing is pulled); one Pulled event per start.
        record(PodEvent.NORMAL, "Pulled", "kubelet", version.pulledMessage(c.plan.image()));
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
            record(PodEvent.WARNING, "Failed", "kubelet", "Error: " + rootMessage(failure));
            c.state = State.TERMINATED;
            c.terminatedReason = "StartError";
            c.finishedAt = scheduler.now();
            observer.podChanged(this);
            restartAfterExit(c, c.finishedAt, false);
            return;
        }
        if (c.current != null) {
            c.current.remove();
        }
        c.current = running;
        c.state = State.RUNNING;
        c.startedAt = scheduler.now();
        if (firstStartedAt == null) {
            firstStartedAt = c.startedAt;
        }
        c.runs.add(new RunTimes(c.startedAt, null, null, null));
        record(PodEvent.NORMAL, "Created", "kubelet", version.createdMessage(c.plan.name()));
        record(PodEvent.NORMAL, "Started", "kubelet", version.startedMessage(c.plan.name()));
        podSynced();
        String id = running.id();
        running.exit().whenComplete((code, e) -> scheduler.execute(() -> exited(c, id, code == null ? 255 : code)));
        podStatusChanged();
        syncReadiness(c);
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
        if (c.current == null || !c.current.id().equals(id) || c.state != State.RUNNING) {
            return;
        }
        c.state = State.TERMINATED;
        c.terminatedReason = exitCode == 0 ? "Completed" : "Error";
        c.finishedAt = scheduler.now();
        RunTimes run = c.runs.remove(c.runs.size() - 1);
        c.runs.add(new RunTimes(run.started(), c.finishedAt, c.terminatedReason, exitCode));
        podSynced();
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
        podStatusChanged();
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
        record(PodEvent.WARNING, "BackOff", "kubelet", version.backOffMessage(c.plan.name(), plan.kubeletName()));
        if (c.state != State.WAITING) {
            c.state = State.WAITING;
            c.waitingReason = "CrashLoopBackOff";
            podStatusChanged();
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

    private void kill(ContainerState c, ProbeType cause) {
        if (c.killing || c.state != State.RUNNING) {
            return;
        }
        c.killing = true;
        lastSyncAt = scheduler.now();
        boolean restarts = !"Never".equals(plan.restartPolicy());
        String what = cause == ProbeType.STARTUP ? "startup" : "liveness";
        record(PodEvent.NORMAL, "Killing", "kubelet",
                "Container " + c.plan.name() + " failed " + what + " probe" + (restarts ? ", will be restarted" : ""));
        c.current.stop(gracePeriod(c, cause));
    }

    /** killContainer: the probe's terminationGracePeriodSeconds, else the pod's. */
    private Duration gracePeriod(ContainerState c, ProbeType cause) {
        Long probeGrace = c.plan.probes().get(cause).terminationGracePeriodSeconds();
        return Duration.ofSeconds(probeGrace != null ? probeGrace : plan.terminationGracePeriodSeconds());
    }

    // ---- probes ------------------------------------------------------------------------------

    private java.util.concurrent.CompletionStage<ProbeOutcome> probe(ContainerState c, ProbeType type, ProbeSettings spec) {
        RunningContainer target = c.current;
        return probeExecutor.probe(spec, target)
                // A prober that throws could not run the probe: an error, which the worker throws away.
                .exceptionally(e -> ProbeOutcome.error(rootMessage(e)))
                .thenApply(outcome -> {
                    scheduler.execute(() -> recordProbeEvent(type, outcome));
                    return outcome;
                });
    }

    /** prober.go: every failed attempt is an Unhealthy event, whatever the thresholds make of it. */
    private void recordProbeEvent(ProbeType type, ProbeOutcome outcome) {
        if (stopping) {
            return;
        }
        if (outcome.errored()) {
            record(PodEvent.WARNING, "Unhealthy", "kubelet", type.title() + " probe errored and resulted in "
                    + outcome.result().lowerCase() + " state: " + outcome.error());
        } else if (outcome.result() == Result.FAILURE) {
            record(PodEvent.WARNING, "Unhealthy", "kubelet", type.title() + " probe failed: " + outcome.output());
        } else if (outcome.warning()) {
            record(PodEvent.WARNING, "ProbeWarning", "kubelet", type.title() + " probe warning: " + outcome.output());
        }
    }

    /** The kubelet's sync after a results-manager update. */
    private void resultChanged(ProbeType type, String containerId, Result result) {
        ContainerState c = byCurrentId(containerId);
        if (c == null || stopping) {
            return;
        }
        if (c.state == State.RUNNING && result == Result.FAILURE
                && (type == ProbeType.LIVENESS || type == ProbeType.STARTUP)) {
            kill(c, type);
        }
        if (type == ProbeType.STARTUP && result == Result.SUCCESS && !version.syncsPodOnStartupResult()) {
            // 1.20 records the result without a sync: the container's Ready waits for the next one.
            c.startedUnsynced = true;
            scheduler.schedule(lastSyncAt.plus(version.periodicPodSync()).minus(scheduler.now()), this::podSynced);
        }
        podStatusChanged();
        syncReadiness(c);
    }

    /**
     * A pod sync, as the ones this model has: a container's start and death (seen by the kubelet's relist),
     * a kill, a held restart's sync, the periodic one. Its status then counts every started container.
     */
    private void podSynced() {
        lastSyncAt = scheduler.now();
        boolean changed = false;
        for (ContainerState c : containers.values()) {
            changed |= c.startedUnsynced;
            c.startedUnsynced = false;
        }
        if (changed) {
            podStatusChanged();
        }
    }

    /**
     * What each pod sync does for probes (prober_manager UpdatePodStatus): a started container that
     * is not ready gets its readiness probe run now, besides its ticker. A sync follows a container's
     * start and every published result change. Posted, as the kubelet sends on the worker's channel.
     */
    private void syncReadiness(ContainerState c) {
        ProbeWorker readiness = c.workers.get(ProbeType.READINESS);
        if (readiness != null && c.isStarted(results) && !c.isReady(results)) {
            scheduler.execute(readiness::trigger);
        }
    }

    private ContainerState byCurrentId(String id) {
        for (ContainerState c : containers.values()) {
            if (c.current != null && c.current.id().equals(id)) {
                return c;
            }
        }
        return null;
    }

    // ---- status ------------------------------------------------------------------------------

    private void podStatusChanged() {
        if (stopping) {
            return; // the run is ending: what its containers do now is not the lab's
        }
        boolean nowReady = containers.values().stream().allMatch(c -> c.isReady(results));
        if (nowReady && !ready && firstReadyAt == null) {
            firstReadyAt = scheduler.now();
        }
        if (nowReady != ready) {
            readyChanges.add(new ReadyChange(scheduler.now(), nowReady));
        }
        ready = nowReady;
        observer.podChanged(this);
    }

    private void record(String type, String reason, String from, String message) {
        if (!stopping) {
            events.record(type, reason, from, message);
        }
    }

    /** Stops everything: no more probes or restarts; every container gets SIGTERM, then SIGKILL after {@code grace}. */
    public CompletableFuture<Void> shutdown(Duration grace) {
        stopping = true;
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (ContainerState c : containers.values()) {
            c.workers.values().forEach(ProbeWorker::stop);
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
    public boolean starting() {
        return containers.values().stream().anyMatch(c -> c.pendingStart);
    }

    // ---- what observers read -----------------------------------------------------------------

    public PodPlan plan() {
        return plan;
    }

    public String name() {
        return plan.name();
    }

    /** The pod's Ready condition: every container ready. */
    public boolean ready() {
        return ready;
    }

    /** kubectl get pods: READY "1/1", STATUS, RESTARTS, lastRestart, AGE (see {@link PodStatusLine}). */
    public PodStatusLine statusLine() {
        int readyContainers = 0;
        int restarts = 0;
        Duration lastRestart = null;
        boolean everStarted = false;
        String reason = null;
        List<ContainerState> reversed = new ArrayList<>(containers.values());
        Collections.reverse(reversed);
        for (ContainerState c : reversed) {
            restarts += c.restartCount;
            everStarted |= c.startedAt != null;
            if (c.lastTerminationFinishedAt != null && (lastRestart == null || c.lastTerminationFinishedAt.compareTo(lastRestart) > 0)) {
                lastRestart = c.lastTerminationFinishedAt;
            }
            if (c.state == State.WAITING) {
                reason = c.waitingReason;
            } else if (c.state == State.TERMINATED) {
                reason = c.terminatedReason;
            } else if (c.isReady(results)) {
                readyContainers++;
            }
        }
        String phase = everStarted ? "Running" : "Pending";
        if (!everStarted && reason == null) {
            reason = phase;
        }
        Duration now = scheduler.now();
        Duration sinceLastRestart = lastRestart == null || !version.showsLastRestartAge() ? null : now.minus(lastRestart);
        return new PodStatusLine(plan.name(), readyContainers, containers.size(), reason == null ? phase : reason,
                restarts, sinceLastRestart, now.minus(createdAt));
    }

    /** Where the Service reaches {@code containerPort} of this pod, if a container declares it and runs. */
    public Optional<InetSocketAddress> endpoint(int containerPort) {
        for (ContainerState c : containers.values()) {
            if (c.state == State.RUNNING && c.current != null
                    && (c.plan.containerPorts().contains(containerPort) || containers.size() == 1)) {
                return Optional.of(c.current.address(containerPort));
            }
        }
        return Optional.empty();
    }

    public Map<String, String> labels() {
        return plan.labels();
    }

    /** When the first container started (the lab's time origin), or null. */
    public Duration firstStartedAt() {
        return firstStartedAt;
    }

    /** When the pod first became Ready, or null. */
    public Duration firstReadyAt() {
        return firstReadyAt;
    }

    public int restarts() {
        return containers.values().stream().mapToInt(c -> c.restartCount).sum();
    }

    /** The events as `kubectl describe pod` would list them: aggregated, the spent budget's drops left out. */
    public List<PodEvent> events() {
        return events.shown();
    }

    /**
     * What this pod did, times in seconds after its first container started (its first container's runs:
     * every lab pod has one), with the `kubectl get pods -w` lines the caller printed.
     */
    public ObservedRun observedRun(Duration watchedUntil, List<ObservedRun.PodLine> podLines) {
        Duration origin = firstStartedAt == null ? Duration.ZERO : firstStartedAt;
        ContainerState c = containers.values().iterator().next();
        List<ObservedRun.Run> runs = c.runs.stream().map(r -> new ObservedRun.Run(ObservedRun.seconds(r.started().minus(origin)),
                r.finished() == null ? null : ObservedRun.seconds(r.finished().minus(origin)), r.reason(), r.exitCode())).toList();
        List<ObservedRun.ReadyChange> ready = readyChanges.stream()
                .map(r -> new ObservedRun.ReadyChange(ObservedRun.seconds(r.at().minus(origin)), r.ready())).toList();
        List<ObservedRun.Event> shown = events.shown().stream().map(e -> new ObservedRun.Event(e.type(), e.reason(), e.message(),
                e.count(), ObservedRun.seconds(e.firstSeen().minus(origin)), ObservedRun.seconds(e.lastSeen().minus(origin)), e.from()))
                .toList();
        return new ObservedRun(plan.name(), 0.1, ObservedRun.seconds(watchedUntil.minus(origin)), runs, ready, shown, podLines);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private enum State { WAITING, RUNNING, TERMINATED }

    /** One container of the pod across its restarts: its ContainerStatus. */
    private final class ContainerState {
        final ContainerPlan plan;
        final Map<ProbeType, ProbeWorker> workers = new EnumMap<>(ProbeType.class);
        int instances;
        RunningContainer current;
        State state = State.WAITING;
        String waitingReason; // none until the kubelet starts creating it: the pod shows Pending
        String terminatedReason;
        Duration startedAt;
        Duration finishedAt;
        Duration previousFinishedAt;
        Duration lastTerminationFinishedAt;
        int restartCount;
        boolean killing;
        boolean pendingStart;
        Cancellable pendingRestart;
        final List<RunTimes> runs = new ArrayList<>();
        /** Started by its startup probe, but no pod sync since (1.20): not Ready yet. */
        boolean startedUnsynced;

        ContainerState(ContainerPlan plan) {
            this.plan = plan;
        }

        ContainerSnapshot snapshot() {
            if (current == null) {
                return null;
            }
            return new ContainerSnapshot(current.id(), state == State.RUNNING, startedAt, isStarted(results));
        }

        /** UpdatePodStatus: started = running and (startup Success, or no startup probe). */
        boolean isStarted(ProbeResults r) {
            if (state != State.RUNNING || current == null) {
                return false;
            }
            Optional<Result> startup = r.get(ProbeType.STARTUP, current.id());
            if (startup.isPresent()) {
                return startup.get() == Result.SUCCESS;
            }
            return !workers.containsKey(ProbeType.STARTUP);
        }

        /** UpdatePodStatus: ready = started and (readiness Success, or no readiness probe). */
        boolean isReady(ProbeResults r) {
            if (!isStarted(r) || startedUnsynced) {
                return false;
            }
            Optional<Result> readiness = r.get(ProbeType.READINESS, current.id());
            if (readiness.isPresent()) {
                return readiness.get() == Result.SUCCESS;
            }
            return !workers.containsKey(ProbeType.READINESS);
        }
    }
}
