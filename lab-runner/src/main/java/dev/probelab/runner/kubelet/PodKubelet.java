package dev.probelab.runner.kubelet;

import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.kubelet.KubeletVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the kubelet does for one pod, on the scheduler's thread, along the kubelet's own seams: the
 * {@link ProbeManager} probes, the {@link PodWorker} starts, kills and restarts containers, the
 * {@link EventRecorder} keeps the events `kubectl describe pod` shows. Here the results meet: a liveness
 * or startup Failure kills, every change makes a new pod status (Ready condition, observers told).
 * What depends on the kubelet's version comes from {@link KubeletVersion}.
 */
public final class PodKubelet {

    /** The node name in the Scheduled event. */
    public static final String NODE = "local";

    private final PodPlan plan;
    private final Scheduler scheduler;
    private final PodObserver observer;
    private final KubeletVersion version;
    private final Map<String, ContainerState> containers = new LinkedHashMap<>();
    private final EventRecorder events;
    private final ProbeManager probes;
    private final PodWorker worker;

    private Duration createdAt;
    private Duration firstStartedAt;
    private Duration firstReadyAt;
    private boolean ready;
    private final List<ReadyChange> readyChanges = new ArrayList<>();

    private record ReadyChange(Duration at, boolean ready) {
    }

    public PodKubelet(PodPlan plan, ContainerRuntime runtime, ProbeExecutor probeExecutor, Scheduler scheduler,
            PodObserver observer, KubeletVersion version) {
        this.plan = plan;
        this.scheduler = scheduler;
        this.observer = observer;
        this.version = version;
        for (ContainerPlan c : plan.containers()) {
            containers.put(c.name(), new ContainerState(c));
        }
        this.events = new EventRecorder(scheduler::now, event -> observer.event(this, event));
        this.probes = new ProbeManager(this, containers.values(), probeExecutor, scheduler);
        this.worker = new PodWorker(this, plan, containers.values(), runtime, scheduler, version);
    }

    /** The pod is bound to this node: workers start (their tick phase is set now), containers are created. */
    public void admit() {
        createdAt = scheduler.now();
        observer.podChanged(this);
        record(PodEvent.NORMAL, "Scheduled", "default-scheduler",
                "Successfully assigned " + plan.namespace() + "/" + plan.name() + " to " + NODE);
        probes.start();
        worker.startAll();
    }

    /** The kubelet's sync after a results-manager update. */
    void probeResultChanged(ContainerState c, ProbeType type, Result result) {
        if (worker.stopping()) {
            return;
        }
        if (c.running() && result == Result.FAILURE && (type == ProbeType.LIVENESS || type == ProbeType.STARTUP)) {
            worker.kill(c, type);
        }
        if (type == ProbeType.STARTUP && result == Result.SUCCESS && !version.syncsPodOnStartupResult()) {
            worker.awaitSync(c);
        }
        statusChanged();
        probes.syncReadiness(c);
    }

    /** A new container runs: the first is the lab's time origin; a sync follows its start. */
    void containerStarted(ContainerState c) {
        if (firstStartedAt == null) {
            firstStartedAt = c.startedAt;
        }
        statusChanged();
        probes.syncReadiness(c);
    }

    /** The pod's status may have changed: the Ready condition is worked out again and observers told. */
    void statusChanged() {
        if (worker.stopping()) {
            return; // the run is ending: what its containers do now is not the lab's
        }
        boolean nowReady = containers.values().stream().allMatch(probes::isReady);
        if (nowReady && !ready && firstReadyAt == null) {
            firstReadyAt = scheduler.now();
        }
        if (nowReady != ready) {
            readyChanges.add(new ReadyChange(scheduler.now(), nowReady));
        }
        ready = nowReady;
        observer.podChanged(this);
    }

    void record(String type, String reason, String from, String message) {
        if (!worker.stopping()) {
            events.record(type, reason, from, message);
        }
    }

    /** Stops everything: no more probes or restarts; every container gets SIGTERM, then SIGKILL after {@code grace}. */
    public CompletableFuture<Void> shutdown(Duration grace) {
        probes.stop();
        return worker.shutdown(grace);
    }

    /** Whether a container start is still on its way (shutdown must wait for it to stop it). */
    public boolean starting() {
        return worker.starting();
    }

    // ---- what observers read -----------------------------------------------------------------

    public PodPlan plan() {
        return plan;
    }

    public String name() {
        return plan.name();
    }

    /** The kubelet version played. */
    public KubeletVersion version() {
        return version;
    }

    /** The pod's Ready condition: every container ready. */
    public boolean ready() {
        return ready;
    }

    /** The pod's status now, as the API server would hold it. */
    public PodStatus status() {
        Duration now = scheduler.now();
        List<PodStatus.Container> statuses = containers.values().stream().map(c -> new PodStatus.Container(c.plan.name(),
                probes.isReady(c), c.startedAt != null,
                c.state == ContainerState.State.WAITING ? c.waitingReason : null,
                c.state == ContainerState.State.TERMINATED ? c.terminatedReason : null, c.restartCount,
                c.lastTerminationFinishedAt == null ? null : now.minus(c.lastTerminationFinishedAt))).toList();
        return new PodStatus(plan.name(), now.minus(createdAt), statuses);
    }

    /** Where the Service reaches {@code containerPort} of this pod, if a container declares it and runs. */
    public Optional<InetSocketAddress> endpoint(int containerPort) {
        for (ContainerState c : containers.values()) {
            if (c.running() && (c.plan.containerPorts().contains(containerPort) || containers.size() == 1)) {
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

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
