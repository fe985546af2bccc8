package dev.probelab.lab;

import static dev.probelab.lab.OutcomeCheck.secs;

import dev.probelab.lab.kubelet.KubeletVersion;
import dev.probelab.lab.kubelet.RestartReplay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lab step run on a real kubelet and under {@code ./lab} at the same time, for the same time, with the
 * same app timings, compared: what {@code ./lab} showed must be what the kubelet showed, within the
 * tolerances below. An empty list of problems means they agree.
 *
 * <p>Tolerances, each derived from where the two runs may honestly differ:
 * <ul>
 *   <li>one run of the container may last up to one liveness period plus {@link LabStep#START_TRUNCATION}
 *       longer or shorter: each kubelet's probe ticker has its own phase against the container's start
 *       second; plus a second for the stop;</li>
 *   <li>a held restart may start anywhere in its re-sync window
 *       ({@link KubeletVersion#latestResyncAfterBackOff}; the model takes the middle);</li>
 *   <li>so restart n's time may differ by those of the runs and holds before it, plus
 *       {@link #STAMP_AND_START} (whole-second timestamps, the app's start);</li>
 *   <li>the first Ready may differ by one readiness period plus {@link LabStep#START_TRUNCATION} and
 *       {@link #STAMP_AND_START}; a 1.20 kubelet turns a container with only a startup probe Ready at a
 *       periodic pod sync 60 to 90 s apart, which is no tolerance: there both are held to LabOutcome's
 *       bounds instead;</li>
 *   <li>both must take the same branch (at once or held) at every restart; where they differ and the call
 *       was a near tie ({@link RestartReplay.Decision#tie}) on either side, or came right after a held restart
 *       by less than that restart's re-sync window, the probe phase or the pod worker's random requeue
 *       decided it, and the runs are compared up to there, not beyond;</li>
 *   <li>event counts may differ by one per run of the container (a probe more or less before each kill),
 *       BackOff by one per held sync, and not at all once the kubelet's event budget is spent; a probe that
 *       found the app not yet listening may come on one side only, once per run
 *       ({@link #isNotYetListening});</li>
 * </ul>
 */
public final class RunComparison {

    /** Whole-second timestamps on the cluster (up to 1 s) plus the app's start in a pod or a container (1 s). */
    public static final Duration STAMP_AND_START = Duration.ofSeconds(2);

    private final LabStep step;
    private final KubeletVersion version;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private RunComparison(LabStep step, KubeletVersion version) {
        this.step = step;
        this.version = version;
    }

    /** The differences between {@code kubelet} (a real cluster's run) and {@code lab} ({@code ./lab}'s). */
    public static Result compare(LabStep step, KubeletVersion version, ObservedRun kubelet, ObservedRun lab) {
        RunComparison c = new RunComparison(step, version);
        int compared = c.restarts(kubelet, lab);
        c.ready(kubelet, lab, compared);
        c.podLines(kubelet, lab, compared);
        c.events(kubelet, lab, compared);
        return new Result(List.copyOf(c.problems), List.copyOf(c.notes));
    }

    /**
     * @param problems every difference beyond the tolerances
     * @param notes    what was not compared, and why
     */
    public record Result(List<String> problems, List<String> notes) {
    }

    // ---- restarts

    /**
     * Compares the restarts, each decision (at once or held) and each time, as long as both runs took the
     * same branches; returns how many were compared.
     */
    private int restarts(ObservedRun kubelet, ObservedRun lab) {
        List<RestartReplay.Decision> dk = RestartReplay.decisions(kubelet);
        List<RestartReplay.Decision> dl = RestartReplay.decisions(lab);
        int both = Math.min(Math.min(kubelet.restarts(), lab.restarts()), Math.min(dk.size(), dl.size()));
        double oneRun = seconds(livenessPeriod().plus(LabStep.START_TRUNCATION).plusSeconds(1));
        double tolerance = seconds(STAMP_AND_START);
        for (int n = 1; n <= both; n++) {
            RestartReplay.Decision k = dk.get(n - 1);
            RestartReplay.Decision l = dl.get(n - 1);
            if (k.held() != l.held()) {
                String what = "restart #" + n + ": the kubelet " + (k.held() ? "held it for its back-off" : "started it at once")
                        + " (margin " + secs(k.margin()) + "), ./lab " + (l.held() ? "held it" : "started it at once")
                        + " (margin " + secs(l.margin()) + ")";
                if (k.tie() || l.tie()) {
                    notes.add(what + ": a near tie, which the probe ticker's phase decides; later restarts are not compared");
                } else if (n >= 2 && dk.get(n - 2).held()
                        && Math.abs(k.margin()) <= seconds(version.latestResyncAfterBackOff(dk.get(n - 2).backOff()))) {
                    notes.add(what + ": within the window in which the held restart #" + (n - 1) + " could start, so the pod "
                            + "worker's random requeue decided it; later restarts are not compared");
                } else {
                    problems.add(what);
                }
                return n - 1;
            }
            ObservedRun.Run rk = kubelet.runs().get(n - 1);
            ObservedRun.Run rl = lab.runs().get(n - 1);
            double lengthK = rk.finishedAt() - rk.startedAt();
            double lengthL = rl.finishedAt() - rl.startedAt();
            if (Math.abs(lengthK - lengthL) > oneRun + 2 * kubelet.resolution()) {
                problems.add("run #" + (n - 1) + " lasted " + secs(lengthL) + " under ./lab, " + secs(lengthK) + " on the kubelet: more than "
                        + secs(oneRun) + " apart");
            }
            tolerance += oneRun;
            if (k.held()) {
                tolerance += seconds(version.latestResyncAfterBackOff(k.backOff()));
            }
            double tk = kubelet.restartAt(n);
            double tl = lab.restartAt(n);
            if (Math.abs(tk - tl) > tolerance) {
                problems.add("restart #" + n + " at +" + secs(tl) + " under ./lab, +" + secs(tk) + " on the kubelet: more than "
                        + secs(tolerance) + " apart");
            }
        }
        int more = Math.abs(kubelet.restarts() - lab.restarts());
        if (more > 0 && both == Math.min(kubelet.restarts(), lab.restarts())) {
            ObservedRun longer = kubelet.restarts() > lab.restarts() ? kubelet : lab;
            double window = Math.min(kubelet.watchedFor(), lab.watchedFor());
            double firstExtra = longer.restartAt(both + 1);
            if (more > 1 || firstExtra < window - tolerance) {
                problems.add("restarts: " + lab.restarts() + " under ./lab, " + kubelet.restarts() + " on the kubelet ("
                        + (longer == kubelet ? "the kubelet's" : "./lab's") + " restart #" + (both + 1) + " at +" + secs(firstExtra)
                        + ", the window ends at +" + secs(window) + ")");
            } else {
                notes.add("restart #" + (both + 1) + " at +" + secs(firstExtra) + " came within " + secs(tolerance)
                        + " of the window's end");
            }
        }
        return both;
    }

    /**
     * Runs of the container may end up to one liveness period apart: each kubelet's probe ticker has its
     * own phase (a 1.20 worker also starts after a random part of a period). After an immediate restart the
     * next run starts a create time after a tick on both, so that difference does not grow.
     */
    private Duration livenessPeriod() {
        LabStep.StepProbe liveness = step.probes().get("livenessProbe");
        return liveness == null ? Duration.ZERO : Duration.ofSeconds(liveness.periodSeconds());
    }

    // ---- readiness

    private void ready(ObservedRun kubelet, ObservedRun lab, int restartsCompared) {
        LabStep.StepProbe readiness = step.probes().get("readinessProbe");
        LabStep.StepProbe startup = step.probes().get("startupProbe");
        LabStep.StepProbe gate = readiness != null ? readiness : startup;
        List<Double> rk = kubelet.readyAt();
        List<Double> rl = lab.readyAt();
        if (gate == null) {
            return; // Ready comes and goes with the runs: compared through the restarts
        }
        if (readiness == null && !version.syncsPodOnStartupResult()) {
            notes.add("Ready not compared: " + version.label() + " turns a started container Ready at the pod's next periodic sync "
                    + "(at +" + (rk.isEmpty() ? "never" : secs(rk.get(0))) + " on the kubelet, +" + (rl.isEmpty() ? "never" : secs(rl.get(0)))
                    + " under ./lab); both are held to the step's bounds");
            return;
        }
        if (rk.isEmpty() != rl.isEmpty()) {
            problems.add("Ready: " + (rk.isEmpty() ? "never" : "at +" + secs(rk.get(0))) + " on the kubelet, "
                    + (rl.isEmpty() ? "never" : "at +" + secs(rl.get(0))) + " under ./lab");
            return;
        }
        if (!rk.isEmpty()) {
            double tolerance = gate.periodSeconds() + seconds(LabStep.START_TRUNCATION) + seconds(STAMP_AND_START);
            if (Math.abs(rk.get(0) - rl.get(0)) > tolerance) {
                problems.add("Ready at +" + secs(rl.get(0)) + " under ./lab, +" + secs(rk.get(0)) + " on the kubelet: more than "
                        + secs(tolerance) + " apart");
            }
        }
    }

    // ---- kubectl get pods -w

    /**
     * The lab prints only states a real watch printed, and RESTARTS moves through the same values, up to the
     * restarts compared.
     */
    private void podLines(ObservedRun kubelet, ObservedRun lab, int restartsCompared) {
        Set<String> real = new LinkedHashSet<>();
        kubelet.podLines().forEach(l -> real.add(l.ready() + " " + l.status()));
        Set<String> unseen = new LinkedHashSet<>();
        for (ObservedRun.PodLine l : lab.podLines()) {
            if (l.restarts() <= restartsCompared && !real.contains(l.ready() + " " + l.status())) {
                unseen.add(l.ready() + " " + l.status() + " " + l.restarts());
            }
        }
        if (!unseen.isEmpty()) {
            problems.add("kubectl get pods -w: ./lab printed " + unseen + ", which the kubelet's watch never showed " + real);
        }
    }

    // ---- events

    private void events(ObservedRun kubelet, ObservedRun lab, int restartsCompared) {
        Map<String, Integer> ek = counts(kubelet);
        Map<String, Integer> el = counts(lab);
        boolean comparedAll = restartsCompared == kubelet.restarts() && restartsCompared == lab.restarts();
        boolean frozen = kubelet.eventBudgetSpent() || lab.eventBudgetSpent();
        if (kubelet.eventBudgetSpent() != lab.eventBudgetSpent()) {
            problems.add("the kubelet's event budget (" + LabStep.KUBELET_EVENT_BURST + ") was spent "
                    + (kubelet.eventBudgetSpent() ? "on the kubelet (" + kubelet.kubeletEventCount() + " events) but not under ./lab ("
                    + lab.kubeletEventCount() + ")" : "under ./lab but not on the kubelet"));
        }
        Set<String> keys = new LinkedHashSet<>(ek.keySet());
        keys.addAll(el.keySet());
        int runs = Math.max(kubelet.runs().size(), lab.runs().size());
        for (String key : keys) {
            int k = ek.getOrDefault(key, 0);
            int l = el.getOrDefault(key, 0);
            if (k == 0 || l == 0) {
                if (isNotYetListening(key) && Math.max(k, l) <= runs) {
                    notes.add("event " + key + ": " + (k == 0 ? "only under ./lab" : "only on the kubelet") + " (x" + Math.max(k, l)
                            + "): a probe that came before the app listened, which the probe ticker's phase against the "
                            + "container's start decides");
                    continue;
                }
                if (comparedAll || !key.contains(" BackOff ")) {
                    problems.add("event " + key + ": " + (k == 0 ? "only under ./lab" : "only on the kubelet")
                            + " (x" + Math.max(k, l) + ")");
                }
                continue;
            }
            int allowed = key.contains(" BackOff ") ? 2 * runs : runs;
            if (!frozen && comparedAll && Math.abs(k - l) > allowed) {
                problems.add("event " + key + ": x" + l + " under ./lab, x" + k + " on the kubelet (tolerance " + allowed + ")");
            }
        }
        if (frozen || !comparedAll) {
            notes.add("event counts not compared: " + (frozen ? "the kubelet's event budget was spent" : "not every restart was compared"));
        }
    }

    /**
     * A probe failure because nothing listened yet (the app still starting): whether a probe tick falls into
     * those first moments of a run depends on the ticker's phase (the worker starts with the pod, not the
     * container) and on how long the container and the app take to start, so one per run may come on either
     * side only.
     */
    static boolean isNotYetListening(String key) {
        return key.startsWith("Warning Unhealthy ") && key.endsWith("connect: connection refused");
    }

    /** Events by type, reason and message, with pod names and addresses taken out; the scheduler's by reason. */
    private static Map<String, Integer> counts(ObservedRun run) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ObservedRun.Event e : run.events()) {
            String message = e.fromKubelet() ? normalize(e.message()) : "";
            counts.merge(e.type() + " " + e.reason() + " " + message, e.count(), Integer::sum);
        }
        return counts;
    }

    static String normalize(String message) {
        return message == null ? "" : message
                .replaceAll(" in pod \\S+", " in pod <pod>")
                .replaceAll("\\b\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?", "<address>")
                .strip();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
