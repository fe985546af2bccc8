package dev.probelab.kindtests;

import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.OutcomeCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lab step on a cluster: a fresh namespace, the step's manifest applied into it, its pod watched,
 * its Service reachable; {@link #close()} deletes it all (call it in a finally / try-with-resources).
 *
 * <p>The Service objects are created first and the workload only once the Service's route is known
 * (LoadBalancer address, or else port-forward): the two objects are independent, so the order changes
 * nothing in the step, and it means the path to the Service is ready before the pod's clock starts,
 * which liveness1's "200 before 20 s" check needs.
 */
public final class ClusterRun implements AutoCloseable {

    /** Pulling the busybox image on a fresh CI runner is the slow case; our images are preloaded into kind. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /**
     * Statuses and events reach the API a little after the kubelet acts (STATUS_LAG is already inside the
     * LabOutcome bounds); this grace only lets late updates ARRIVE. They are then judged by the kubelet's
     * own timestamps against the unchanged bounds, so it does not widen any claim.
     */
    public static final Duration ARRIVAL_GRACE = Duration.ofSeconds(10);
    /** How often the windows are re-checked; the watch itself records every change as it happens. */
    public static final Duration POLL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRun.class);

    private final KubernetesClient client;
    private final LabStep step;
    private final LabNamespace namespace;
    private final List<HasMetadata> items;
    private PodTimeline timeline;
    private ServiceRoute route;
    private ServiceAccess access;

    private ClusterRun(KubernetesClient client, LabStep step, LabNamespace namespace, List<HasMetadata> items) {
        this.client = client;
        this.step = step;
        this.namespace = namespace;
        this.items = items;
    }

    public static ClusterRun start(KubernetesClient client, LabStep step, Path repoRoot) {
        return start(client, step, repoRoot, ServiceRoute.Policy.fromEnvironment());
    }

    public static ClusterRun start(KubernetesClient client, LabStep step, Path repoRoot, ServiceRoute.Policy routePolicy) {
        return start(client, step, repoRoot, routePolicy, namespace -> { });
    }

    /**
     * As {@link #start(KubernetesClient, LabStep, Path)}, calling {@code beforeWorkload} with the namespace
     * once the Service is in place and just before the workload is created (to start watching it, say).
     */
    public static ClusterRun start(KubernetesClient client, LabStep step, Path repoRoot, ServiceRoute.Policy routePolicy,
            java.util.function.Consumer<String> beforeWorkload) {
        List<HasMetadata> items = LabNamespace.load(repoRoot.resolve("k8s").resolve(step.manifest()));
        LabNamespace ns = LabNamespace.create(client, step.manifest());
        ClusterRun run = new ClusterRun(client, step, ns, items);
        try {
            List<HasMetadata> services = items.stream().filter(i -> "Service".equals(i.getKind())).toList();
            List<HasMetadata> rest = items.stream().filter(i -> !"Service".equals(i.getKind())).toList();
            ns.apply(services);
            if (!services.isEmpty()) {
                run.route = ServiceRoute.decide(client, ns.name(), services.get(0).getMetadata().getName(), routePolicy);
                if (run.route.honoursReadiness()) {
                    LOG.info("{}: {}", step, run.route.describe());
                } else {
                    LOG.warn("{}: {}: the LoadBalancer is NOT used; 'the Service answers nothing' is checked on the "
                            + "EndpointSlice only (PROBE_LAB_SERVICE_ROUTE=loadbalancer makes this a failure)", step, run.route.describe());
                }
            }
            run.timeline = PodTimeline.watch(client, ns.name());
            beforeWorkload.accept(ns.name());
            ns.apply(rest);
            return run;
        } catch (RuntimeException | Error e) {
            run.close();
            throw e;
        }
    }

    public String namespace() {
        return namespace.name();
    }

    public PodTimeline timeline() {
        return timeline;
    }

    /** The Service's route; empty for liveness2 (a bare Pod, no Service). */
    public Optional<ServiceRoute> route() {
        return Optional.ofNullable(route);
    }

    /** The step's one pod, as last seen. */
    public Pod pod() {
        List<String> names = List.copyOf(timeline.podNames());
        if (names.size() != 1) {
            throw new AssertionError("expected the step's one pod, saw " + names);
        }
        return timeline.latest().orElseThrow();
    }

    /** The step's one container (every lab pod has one). */
    public String container() {
        var containers = pod().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, pod has " + containers.size());
        }
        return containers.get(0).getName();
    }

    /** Waits until the first container runs; returns the kubelet's start time t0. */
    public Instant awaitStarted() {
        Waits.until(step + ": the pod's container running", START_TIMEOUT, POLL,
                () -> timeline.latest().map(PodTimeline::describe).orElse("no pod yet"),
                d -> timeline.podNames().size() == 1 && timeline.firstSeenRunning(container()).isPresent());
        Instant t0 = timeline.firstStart(container()).orElseThrow();
        LOG.info("{}: pod {} container {} started at {}", step, pod().getMetadata().getName(), container(), t0);
        return t0;
    }

    /** The kubelet's start time of the first container. */
    public Instant t0() {
        return timeline.firstStart(container()).orElseThrow(() -> new AssertionError("container not started yet"));
    }

    /** Local now minus t0 (see {@link HealthSamples} for the clock assumption). */
    public Duration uptime() {
        return Duration.between(t0(), Instant.now());
    }

    /** The path to the Service, opened on first use (a port-forward needs the pod). */
    public ServiceAccess access() {
        if (route == null) {
            throw new IllegalStateException(step + " has no Service");
        }
        if (access == null) {
            access = ServiceAccess.open(client, namespace.name(), route, pod());
        }
        return access;
    }

    /** Watches until {@link #windowOver}, then gives late statuses {@link #ARRIVAL_GRACE} to arrive. */
    public void awaitWindow(LabOutcome outcome) {
        String c = container();
        Waits.until(step + ": the observation window (" + outcome.observeFor().toSeconds() + "s)",
                outcome.observeFor().plus(ARRIVAL_GRACE), POLL,
                () -> PodTimeline.describe(timeline.latest().orElseThrow()), d -> windowOver(outcome));
        if (!positiveClaimsHold(outcome, c)) {
            try {
                Waits.until(step + ": late status updates", ARRIVAL_GRACE, POLL,
                        () -> PodTimeline.describe(timeline.latest().orElseThrow()), d -> positiveClaimsHold(outcome, c));
            } catch (Waits.TimedOut e) {
                // judged by OutcomeCheck with the full picture
            }
        }
        LOG.info("{}: after the window: {}; runs: {}", step, PodTimeline.describe(timeline.latest().orElseThrow()),
                OutcomeCheck.describe(timeline.observedRuns(c, t0())));
    }

    /**
     * True once {@code outcome.observeFor()} has passed since the container was first seen running
     * (which is after t0, so the whole window is covered), or earlier when the outcome makes no claim
     * that needs the full window (no maxRestarts, no notReadyBefore) and every positive claim, the
     * expected events included, holds.
     */
    public boolean windowOver(LabOutcome outcome) {
        String c = container();
        Instant end = timeline.firstSeenRunning(c).orElseThrow().plus(outcome.observeFor());
        boolean needsWholeWindow = outcome.maxRestarts() != LabOutcome.UNBOUNDED || !outcome.notReadyBefore().isZero();
        return !Instant.now().isBefore(end) || (!needsWholeWindow && positiveClaimsHold(outcome, c));
    }

    /** Enough restarts, Ready if expected, and every expected event recorded. */
    private boolean positiveClaimsHold(LabOutcome outcome, String c) {
        return timeline.runs(c).size() > outcome.minRestarts() && (!outcome.expectsReady() || timeline.isReadyNow())
                && OutcomeCheck.events(outcome, observed(EventLog.forPod(client, namespace.name(), pod().getMetadata().getName()),
                        List.of())).isEmpty();
    }

    /**
     * What the pod did so far, for OutcomeCheck: the kubelet's timestamps (whole seconds) after t0, the
     * events as given, and the `kubectl get pods -w` lines if someone watched.
     */
    public ObservedRun observed(EventLog events, List<ObservedRun.PodLine> podLines) {
        Instant t0 = t0();
        return new ObservedRun(pod().getMetadata().getName(), 1.0, PodTimeline.seconds(t0, Instant.now()),
                timeline.observedRuns(container(), t0), timeline.readyChanges(t0), events.observed(t0), podLines);
    }

    /**
     * The pod's events once every expected one is there and Killing has caught up with the restarts
     * (the kubelet writes events asynchronously), or after {@link #ARRIVAL_GRACE}, as they are.
     */
    public EventLog events(LabOutcome outcome) {
        String pod = pod().getMetadata().getName();
        try {
            return Waits.until(step + ": the expected events", ARRIVAL_GRACE, POLL,
                    () -> EventLog.forPod(client, namespace.name(), pod),
                    log -> OutcomeCheck.events(outcome, observed(log, List.of())).isEmpty());
        } catch (Waits.TimedOut e) {
            return EventLog.forPod(client, namespace.name(), pod);
        }
    }

    @Override
    public void close() {
        if (access != null) {
            access.close();
        }
        if (timeline != null) {
            timeline.close();
        }
        namespace.close();
    }
}
