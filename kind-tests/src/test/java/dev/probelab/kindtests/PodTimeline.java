package dev.probelab.kindtests;

import dev.probelab.lab.ObservedRun;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every version of the namespace's pods that a watch (fabric8 informer) delivered, in order, each with
 * the local time it arrived. All timing claims are read from the kubelet's own timestamps in these
 * snapshots (container startedAt/finishedAt, the Ready condition's lastTransitionTime), so they do
 * not depend on when the test happened to look; the local arrival time only paces the waits.
 */
public final class PodTimeline implements ResourceEventHandler<Pod>, AutoCloseable {

    /** One pod version and the local time the watch delivered it. */
    public record Snapshot(Instant seenAt, Pod pod) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PodTimeline.class);

    private final List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private volatile SharedIndexInformer<Pod> informer;

    public PodTimeline(Clock clock) {
        this.clock = clock;
    }

    /** Starts recording the pods of {@code namespace} (existing ones first, then every change). */
    public static PodTimeline watch(KubernetesClient client, String namespace) {
        PodTimeline timeline = new PodTimeline(Clock.systemUTC());
        timeline.informer = client.pods().inNamespace(namespace).inform(timeline, 0);
        return timeline;
    }

    // ---- recording

    public void record(Pod pod) {
        snapshots.add(new Snapshot(clock.instant(), pod));
        if (LOG.isDebugEnabled()) {
            LOG.debug("pod {}: {}", pod.getMetadata().getName(), describe(pod));
        }
    }

    @Override
    public void onAdd(Pod pod) {
        record(pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
        record(newPod);
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        // the namespace goes at the end of a step; nothing to learn from that
    }

    @Override
    public void close() {
        SharedIndexInformer<Pod> i = informer;
        if (i != null) {
            i.close();
        }
    }

    // ---- reading

    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** Names of every pod seen: a lab step's Deployment or Pod makes exactly one. */
    public Set<String> podNames() {
        Set<String> names = new LinkedHashSet<>();
        snapshots.forEach(s -> names.add(s.pod().getMetadata().getName()));
        return names;
    }

    public Optional<Pod> latest() {
        return snapshots.isEmpty() ? Optional.empty() : Optional.of(snapshots.get(snapshots.size() - 1).pod());
    }

    /** Local time of the first snapshot showing {@code container} running: the pacing origin of the waits. */
    public Optional<Instant> firstSeenRunning(String container) {
        return snapshots.stream()
                .filter(s -> status(s.pod(), container).map(c -> running(c) != null).orElse(false))
                .map(Snapshot::seenAt).findFirst();
    }

    /** The highest restartCount the kubelet reported for {@code container}. */
    public int maxRestartCount(String container) {
        return snapshots.stream().map(s -> status(s.pod(), container))
                .flatMap(Optional::stream).mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
                .max().orElse(0);
    }

    /** Restarts of {@code container} seen: the highest restartCount, or the runs seen less one if that is more. */
    public int restartsSeen(String container) {
        return Math.max(maxRestartCount(container), runs(container).size() - 1);
    }

    /** The restartCount of the first status that showed {@code container} running (0 unless the watch came late). */
    public Optional<Integer> restartCountWhenFirstRunning(String container) {
        return snapshots.stream().map(s -> status(s.pod(), container)).flatMap(Optional::stream)
                .filter(c -> running(c) != null)
                .map(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).findFirst();
    }

    /**
     * Every run of {@code container} seen, oldest first (by the kubelet's startedAt); runs[0] is the
     * first container, runs[n] the one the n-th restart created. A run that lived and died between two
     * snapshots still appears, from the next status's lastState.
     */
    public List<ContainerRun> runs(String container) {
        Map<String, ContainerRun> byId = new LinkedHashMap<>();
        for (Snapshot s : snapshots) {
            status(s.pod(), container).ifPresent(c -> {
                add(byId, fromState(c.getState(), c.getContainerID()));
                add(byId, fromState(c.getLastState(), null));
            });
        }
        List<ContainerRun> runs = new ArrayList<>(byId.values());
        runs.removeIf(r -> r.startedAt() == null);
        runs.sort(Comparator.comparing(ContainerRun::startedAt));
        return runs;
    }

    /** The kubelet's start time of the first container: the origin of every LabOutcome bound. */
    public Optional<Instant> firstStart(String container) {
        List<ContainerRun> runs = runs(container);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0).startedAt());
    }

    /** Each distinct time the pod's Ready condition turned True (its lastTransitionTime), in order. */
    public List<Instant> readyTransitions() {
        Set<Instant> times = new LinkedHashSet<>();
        for (Snapshot s : snapshots) {
            condition(s.pod(), "Ready").filter(c -> "True".equals(c.getStatus()))
                    .map(c -> time(c.getLastTransitionTime())).filter(Objects::nonNull).ifPresent(times::add);
        }
        return List.copyOf(times);
    }

    /** Each change of the pod's Ready condition from {@code t0} on (its lastTransitionTime), in order, as seconds after t0. */
    public List<ObservedRun.ReadyChange> readyChanges(Instant t0) {
        Map<String, ObservedRun.ReadyChange> changes = new LinkedHashMap<>();
        for (Snapshot s : snapshots) {
            condition(s.pod(), "Ready").ifPresent(c -> {
                Instant at = time(c.getLastTransitionTime());
                if (at != null && !at.isBefore(t0)) {
                    changes.putIfAbsent(c.getStatus() + "@" + at, new ObservedRun.ReadyChange(seconds(t0, at), "True".equals(c.getStatus())));
                }
            });
        }
        return List.copyOf(changes.values());
    }

    /** The runs of {@code container}, as seconds after t0. */
    public List<ObservedRun.Run> observedRuns(String container, Instant t0) {
        return runs(container).stream().map(r -> new ObservedRun.Run(seconds(t0, r.startedAt()),
                r.finishedAt() == null ? null : seconds(t0, r.finishedAt()), r.reason(), r.exitCode())).toList();
    }

    static double seconds(Instant t0, Instant t) {
        return ObservedRun.seconds(Duration.between(t0, t));
    }

    public boolean isReadyNow() {
        return latest().map(PodTimeline::isReady).orElse(false);
    }

    // ---- pod helpers (static so the step code can use them on any pod it reads)

    public static Optional<ContainerStatus> status(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream().filter(c -> container.equals(c.getName())).findFirst();
    }

    public static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isReady(Pod pod) {
        return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** The running container's start, if it runs. */
    public static Optional<Instant> runningSince(Pod pod, String container) {
        return status(pod, container).map(PodTimeline::running).map(r -> time(r.getStartedAt()));
    }

    /** Kubernetes times are RFC 3339 (whole seconds, "Z"); null stays null. */
    public static Instant time(String rfc3339) {
        return rfc3339 == null || rfc3339.isBlank() ? null : OffsetDateTime.parse(rfc3339).toInstant();
    }

    public static String describe(Pod pod) {
        StringBuilder sb = new StringBuilder(pod.getStatus() == null ? "no status" : String.valueOf(pod.getStatus().getPhase()));
        sb.append(isReady(pod) ? " Ready" : " not-Ready");
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
                ContainerState st = c.getState();
                String state = st == null ? "?" : st.getRunning() != null ? "running since " + st.getRunning().getStartedAt()
                        : st.getTerminated() != null ? "terminated " + st.getTerminated().getReason()
                        : st.getWaiting() != null ? "waiting " + st.getWaiting().getReason() : "?";
                sb.append(", ").append(c.getName()).append(": ").append(state).append(", restarts ").append(c.getRestartCount());
            }
        }
        return sb.toString();
    }

    private static ContainerStateRunning running(ContainerStatus c) {
        return c.getState() == null ? null : c.getState().getRunning();
    }

    private static ContainerRun fromState(ContainerState state, String currentId) {
        if (state == null) {
            return null;
        }
        if (state.getRunning() != null) {
            return new ContainerRun(currentId, time(state.getRunning().getStartedAt()), null, null, null);
        }
        ContainerStateTerminated t = state.getTerminated();
        if (t != null) {
            String id = t.getContainerID() != null ? t.getContainerID() : currentId;
            return new ContainerRun(id, time(t.getStartedAt()), time(t.getFinishedAt()), t.getExitCode(), t.getReason());
        }
        return null;
    }

    private static void add(Map<String, ContainerRun> byId, ContainerRun run) {
        if (run == null || run.startedAt() == null) {
            return;
        }
        // Without an ID (rare: a status written before the runtime reported one), the start time identifies the run.
        String key = run.containerId() != null ? run.containerId() : "started@" + run.startedAt();
        byId.merge(key, run, ContainerRun::merge);
    }

    /** Seconds between two instants, for messages. */
    static String secs(Duration d) {
        return dev.probelab.lab.OutcomeCheck.secs(ObservedRun.seconds(d));
    }
}
