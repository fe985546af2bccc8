package dev.probelab.lab;

import dev.probelab.lab.kubelet.KubeletVersion;
import dev.probelab.lab.kubelet.RestartReplay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Judges an observed run of a lab step ({@link ObservedRun}: a real cluster's, or {@code ./lab}'s) against
 * what the step must show ({@link LabOutcome}), and lists every difference as one readable line; an empty
 * list means the step behaved. The cluster tests, the runner's end-to-end tests and its kubelet tests all
 * judge with this.
 *
 * <p>Times come from the kubelet's own timestamps. A cluster's are whole seconds, truncated; for
 * whole-second bounds that costs nothing: if the real gap g = f - s satisfies g &gt;= B then
 * floor(f) - floor(s) &gt;= B, and if g &lt;= B then floor(f) - floor(s) &lt;= B. So bounds are compared as
 * they are, with no slack.
 */
public final class OutcomeCheck {

    private OutcomeCheck() {
    }

    /**
     * Every claim of {@code outcome} on {@code run}: restarts, the back-off rule, readiness, events.
     *
     * @param version the kubelet's version, for how late a held restart may come; null when it is neither
     *                profile (the latest of both is allowed)
     */
    public static List<String> check(LabOutcome outcome, ObservedRun run, KubeletVersion version) {
        List<String> problems = new ArrayList<>();
        problems.addAll(restarts(outcome, run));
        problems.addAll(restartRule(run, version));
        problems.addAll(readiness(outcome, run));
        problems.addAll(events(outcome, run));
        return problems;
    }

    /** Restart claims: minRestarts by observeFor, never more than maxRestarts, the first not before noRestartBefore. */
    public static List<String> restarts(LabOutcome outcome, ObservedRun run) {
        List<String> problems = new ArrayList<>();
        List<ObservedRun.Run> runs = run.runs();
        if (runs.isEmpty()) {
            problems.add("the container was never seen started");
            return problems;
        }
        double observeFor = ObservedRun.seconds(outcome.observeFor());
        if (outcome.minRestarts() > 0) {
            if (runs.size() <= outcome.minRestarts()) {
                problems.add("restartCount reached " + run.restarts() + ", expected at least " + outcome.minRestarts()
                        + " by +" + secs(observeFor) + " (runs seen: " + describe(runs) + ")");
            } else if (run.restartAt(outcome.minRestarts()) > observeFor) {
                problems.add("restart #" + outcome.minRestarts() + " came at +" + secs(run.restartAt(outcome.minRestarts()))
                        + ", later than +" + secs(observeFor) + " (runs: " + describe(runs) + ")");
            }
        }
        if (run.restarts() > outcome.maxRestarts()) {
            problems.add("restartCount reached " + run.restarts() + ", expected at most " + outcome.maxRestarts()
                    + " (runs: " + describe(runs) + ")");
        }
        if (outcome.noRestartBefore() != null && runs.size() > 1) {
            // The kill of run 0 starts no earlier than noRestartBefore; the run ends after it.
            Double finished = runs.get(0).finishedAt();
            double end = finished != null ? finished : runs.get(1).startedAt();
            if (end < ObservedRun.seconds(outcome.noRestartBefore())) {
                problems.add("the first container ended at +" + secs(end) + ", before +" + secs(ObservedRun.seconds(outcome.noRestartBefore()))
                        + ": something other than the probe restarted it (runs: " + describe(runs) + ")");
            }
        }
        return problems;
    }

    /**
     * Every restart came when the kubelet's back-off rule lets it ({@link RestartReplay}): right after the
     * killed run finished (within {@link LabStep#CONTAINER_CREATE}), or, held, not before its back-off ended
     * and no later than the re-sync of a held pod allows. Where the timestamps cannot tell which way the
     * call went (a near tie), either is right.
     */
    public static List<String> restartRule(ObservedRun run, KubeletVersion version) {
        List<String> problems = new ArrayList<>();
        for (RestartReplay.Decision d : RestartReplay.decisions(run)) {
            double start = run.restartAt(d.restart());
            double killedFinished = d.held() ? d.earliestStart() - ObservedRun.seconds(d.backOff()) : d.earliestStart();
            double atOnceBy = killedFinished + ObservedRun.seconds(LabStep.CONTAINER_CREATE);
            double heldFrom = killedFinished + ObservedRun.seconds(d.backOff());
            double heldBy = heldFrom + ObservedRun.seconds(LabStep.CONTAINER_CREATE
                    .plus(version != null ? version.latestResyncAfterBackOff(d.backOff()) : LabStep.BACK_OFF_RESYNC));
            boolean atOnce = start >= killedFinished && start <= atOnceBy;
            boolean held = start >= heldFrom && start <= heldBy;
            boolean fits = d.held() ? held || (d.tie() && atOnce) : atOnce || (d.tie() && !d.backOff().isZero() && held);
            if (!fits) {
                problems.add("restart #" + d.restart() + " came at +" + secs(start) + "; the back-off rule ("
                        + (d.held() ? "held for " + d.backOff().toSeconds() + "s" : "at once") + ") puts it between +"
                        + secs(d.held() ? heldFrom : killedFinished) + " and +" + secs(d.held() ? heldBy : atOnceBy)
                        + (d.tie() ? " (or, a near tie, the other way)" : "") + " (runs: " + describe(run.runs()) + ")");
            }
        }
        return problems;
    }

    /** Ready claims: never Ready before notReadyBefore; Ready by readyBy when the outcome expects it. */
    public static List<String> readiness(LabOutcome outcome, ObservedRun run) {
        List<String> problems = new ArrayList<>();
        List<Double> readyAt = run.readyAt();
        if (!outcome.notReadyBefore().isZero()) {
            for (double at : readyAt) {
                if (at < ObservedRun.seconds(outcome.notReadyBefore())) {
                    problems.add("the pod turned Ready at +" + secs(at) + ", before +" + secs(ObservedRun.seconds(outcome.notReadyBefore())));
                }
            }
        }
        if (outcome.expectsReady()) {
            if (readyAt.isEmpty()) {
                problems.add("the pod never turned Ready; expected by +" + secs(ObservedRun.seconds(outcome.readyBy())));
            } else if (readyAt.get(0) > ObservedRun.seconds(outcome.readyBy())) {
                problems.add("the pod turned Ready at +" + secs(readyAt.get(0)) + ", later than +" + secs(ObservedRun.seconds(outcome.readyBy())));
            }
        }
        return problems;
    }

    /**
     * Every expected event was recorded. A Killing event must have happened at least as often as the
     * container restarted: in these steps nothing but the probe stops a container (the apps and
     * `sleep 600` never exit by themselves), so each restart is one probe kill; unless the pod's event
     * budget was spent, after which the kubelet's recorder drops events (and their counts).
     */
    public static List<String> events(LabOutcome outcome, ObservedRun run) {
        List<String> problems = new ArrayList<>();
        for (ExpectedEvent expected : outcome.events()) {
            List<ObservedRun.Event> found = run.events().stream()
                    .filter(e -> expected.matches(e.type(), e.reason(), e.message())).toList();
            int occurrences = found.stream().mapToInt(ObservedRun.Event::count).sum();
            if (found.isEmpty()) {
                problems.add("no event " + expected.type() + " " + expected.reason() + " '" + expected.messagePrefix()
                        + "'; events: " + describeEvents(run.events()));
            } else if ("Killing".equals(expected.reason()) && occurrences < run.restarts() && !run.eventBudgetSpent()) {
                problems.add("Killing happened " + occurrences + " times for " + run.restarts()
                        + " restarts, and the pod's event budget is not spent; events: " + describeEvents(run.events()));
            }
        }
        return problems;
    }

    /** The runs as one line: "#0 +0s..+31s Completed(0), #1 +31s..running". */
    public static String describe(List<ObservedRun.Run> runs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ObservedRun.Run r = runs.get(i);
            out.add("#" + i + " +" + secs(r.startedAt()) + (r.finishedAt() == null ? "..running"
                    : "..+" + secs(r.finishedAt()) + " " + r.reason() + "(" + r.exitCode() + ")"));
        }
        return String.join(", ", out);
    }

    /** The events as one line, "Warning Unhealthy (x3) Liveness probe failed: ...; ...". */
    public static String describeEvents(List<ObservedRun.Event> events) {
        return Arrays.toString(events.stream().map(e -> e.type() + " " + e.reason() + (e.count() > 1 ? " (x" + e.count() + ")" : "")
                + " " + (e.message() == null ? "" : e.message().strip())).toArray());
    }

    /** Seconds for messages: "31s", "9.4s". */
    public static String secs(double seconds) {
        return seconds == Math.rint(seconds) ? (long) seconds + "s" : String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
