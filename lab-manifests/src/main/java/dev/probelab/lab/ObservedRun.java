package dev.probelab.lab;

import java.time.Duration;
import java.util.List;

/**
 * What one pod of a lab step did, as a real cluster or {@code ./lab} showed it: the one input of
 * {@link OutcomeCheck} and {@link RunComparison}. Every time is in seconds after the pod's first container
 * started (the kubelet's {@code startedAt} of run 0), the origin of {@link LabOutcome}'s bounds; a cluster
 * reports whole seconds, {@code ./lab} tenths. {@code ./lab --summary json} prints this record.
 *
 * @param pod          the pod's name
 * @param resolution   the seconds its timestamps are rounded to: 1 on a cluster, 0.1 under ./lab
 * @param watchedFor   how long after the first start the pod was watched
 * @param runs         every run of the pod's (one) container, oldest first: run 0 is the first container,
 *                     run n the one the n-th restart created
 * @param readyChanges every change of the pod's Ready condition, in order
 * @param events       the pod's events as {@code kubectl describe pod} lists them, aggregated
 * @param podLines     the lines {@code kubectl get pods -w} printed for the pod, in order
 */
public record ObservedRun(String pod, double resolution, double watchedFor, List<Run> runs, List<ReadyChange> readyChanges,
        List<Event> events, List<PodLine> podLines) {

    /** The source component of the kubelet's events (the scheduler's is default-scheduler). */
    public static final String KUBELET = "kubelet";

    /**
     * One run of the container (one container ID).
     *
     * @param finishedAt null while it runs
     * @param reason     the terminated state's reason (Completed, Error), null while it runs
     */
    public record Run(double startedAt, Double finishedAt, String reason, Integer exitCode) {
    }

    /** The pod's Ready condition turned {@code ready} at {@code at}. */
    public record ReadyChange(double at, boolean ready) {
    }

    /** One aggregated event: {@code count} occurrences, the first at {@code firstSeen}, the last at {@code lastSeen}. */
    public record Event(String type, String reason, String message, int count, double firstSeen, double lastSeen,
            String source) {

        public boolean fromKubelet() {
            return KUBELET.equals(source);
        }
    }

    /** One {@code kubectl get pods -w} line: READY, STATUS, RESTARTS (its number), printed at {@code at}. */
    public record PodLine(double at, String ready, String status, int restarts) {

        /** The columns whose change makes a watch print a new line. */
        public String state() {
            return ready + " " + status + " " + restarts;
        }
    }

    public ObservedRun {
        runs = List.copyOf(runs);
        readyChanges = List.copyOf(readyChanges);
        events = List.copyOf(events);
        podLines = List.copyOf(podLines);
    }

    /** Restarts seen: one per run after the first. */
    public int restarts() {
        return Math.max(0, runs.size() - 1);
    }

    /** When restart {@code n} (1-based) started its container. */
    public double restartAt(int n) {
        return runs.get(n).startedAt();
    }

    /** The times the pod turned Ready. */
    public List<Double> readyAt() {
        return readyChanges.stream().filter(ReadyChange::ready).map(ReadyChange::at).toList();
    }

    /** Occurrences of the kubelet's events: how much of its per-pod event budget the pod used. */
    public int kubeletEventCount() {
        return events.stream().filter(Event::fromKubelet).mapToInt(Event::count).sum();
    }

    /**
     * Whether the kubelet's event budget for this pod is spent ({@link LabStep#KUBELET_EVENT_BURST}): its
     * recorder drops later events, and the counts shown stop growing.
     */
    public boolean eventBudgetSpent() {
        return kubeletEventCount() >= LabStep.KUBELET_EVENT_BURST;
    }

    /** Seconds as a Duration, for comparing with LabOutcome's bounds. */
    public static Duration duration(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** A Duration as seconds, rounded to the tenth. */
    public static double seconds(Duration d) {
        return Math.round(d.toMillis() / 100.0) / 10.0;
    }
}
