package dev.probelab.kindtests;

import static dev.probelab.kindtests.PodTimeline.secs;

import dev.probelab.lab.ExpectedEvent;
import dev.probelab.lab.LabOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares what a cluster showed with a {@link LabOutcome} (LabStep.X.expectedOutcome(): the course's
 * timings), and lists every difference as one readable line; an empty list means the step behaved.
 *
 * <p>Every time is "after the pod's first container started" (t0 = the kubelet's startedAt of run 0),
 * and read from the kubelet's own timestamps. Those are whole seconds, truncated; for integer-second
 * bounds that costs nothing: if the real gap g = f - s satisfies g &gt;= B then floor(f) - floor(s)
 * &gt;= B, and if g &lt;= B then floor(f) - floor(s) &lt;= B (floor(f) &lt;= f, floor(s) &gt; s - 1, and
 * both sides are integers). So the bounds are compared as they are, with no slack.
 */
public final class OutcomeCheck {

    private OutcomeCheck() {
    }

    /** Restart claims: minRestarts by observeFor, never more than maxRestarts, the first not before noRestartBefore. */
    public static List<String> restarts(LabOutcome outcome, PodTimeline timeline, String container) {
        List<String> problems = new ArrayList<>();
        List<ContainerRun> runs = timeline.runs(container);
        if (runs.isEmpty()) {
            problems.add("container " + container + " was never seen started");
            return problems;
        }
        if (timeline.restartCountWhenFirstRunning(container).orElse(0) != 0) {
            problems.add("the watch first saw " + container + " already restarted: the step's start was missed");
        }
        Instant t0 = runs.get(0).startedAt();
        int restartsSeen = timeline.restartsSeen(container);

        if (outcome.minRestarts() > 0) {
            if (runs.size() <= outcome.minRestarts()) {
                problems.add("restartCount reached " + restartsSeen + ", expected at least " + outcome.minRestarts()
                        + " by +" + secs(outcome.observeFor()) + " (runs seen: " + describe(runs, t0) + ")");
            } else {
                Duration at = Duration.between(t0, runs.get(outcome.minRestarts()).startedAt());
                if (at.compareTo(outcome.observeFor()) > 0) {
                    problems.add("restart #" + outcome.minRestarts() + " came at +" + secs(at) + ", later than +"
                            + secs(outcome.observeFor()) + " (runs: " + describe(runs, t0) + ")");
                }
            }
        }
        if (restartsSeen > outcome.maxRestarts()) {
            problems.add("restartCount reached " + restartsSeen + ", expected at most " + outcome.maxRestarts()
                    + " (runs: " + describe(runs, t0) + ")");
        }
        if (outcome.noRestartBefore() != null && runs.size() > 1) {
            // The kill of run 0 starts no earlier than noRestartBefore; the run ends after it.
            Instant end = runs.get(0).finishedAt() != null ? runs.get(0).finishedAt() : runs.get(1).startedAt();
            Duration at = Duration.between(t0, end);
            if (at.compareTo(outcome.noRestartBefore()) < 0) {
                problems.add("the first container ended at +" + secs(at) + ", before +" + secs(outcome.noRestartBefore())
                        + ": something other than the probe restarted it (runs: " + describe(runs, t0) + ")");
            }
        }
        return problems;
    }

    /** Ready claims: never Ready before notReadyBefore; Ready by readyBy when the outcome expects it. */
    public static List<String> readiness(LabOutcome outcome, PodTimeline timeline, String container) {
        List<String> problems = new ArrayList<>();
        var start = timeline.firstStart(container);
        if (start.isEmpty()) {
            problems.add("container " + container + " was never seen started");
            return problems;
        }
        Instant t0 = start.get();
        List<Instant> readyAt = timeline.readyTransitions();
        if (!outcome.notReadyBefore().isZero()) {
            for (Instant t : readyAt) {
                Duration at = Duration.between(t0, t);
                if (at.compareTo(outcome.notReadyBefore()) < 0) {
                    problems.add("the pod turned Ready at +" + secs(at) + ", before +" + secs(outcome.notReadyBefore()));
                }
            }
        }
        if (outcome.expectsReady()) {
            if (readyAt.isEmpty()) {
                problems.add("the pod never turned Ready; expected by +" + secs(outcome.readyBy()));
            } else {
                Duration at = Duration.between(t0, readyAt.get(0));
                if (at.compareTo(outcome.readyBy()) > 0) {
                    problems.add("the pod turned Ready at +" + secs(at) + ", later than +" + secs(outcome.readyBy()));
                }
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
    public static List<String> events(LabOutcome outcome, EventLog events, int restartsSeen) {
        List<String> problems = new ArrayList<>();
        for (ExpectedEvent expected : outcome.events()) {
            List<EventLog.SeenEvent> found = events.matching(expected);
            if (found.isEmpty()) {
                problems.add("no event " + expected.type() + " " + expected.reason() + " '" + expected.messagePrefix()
                        + "'; events: " + events);
            } else if ("Killing".equals(expected.reason()) && events.occurrences(expected) < restartsSeen && !events.budgetSpent()) {
                problems.add("Killing happened " + events.occurrences(expected) + " times for " + restartsSeen
                        + " restarts, and the pod's event budget is not spent; events: " + events);
            }
        }
        return problems;
    }

    static String describe(List<ContainerRun> runs, Instant t0) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ContainerRun r = runs.get(i);
            out.add("#" + i + " +" + secs(Duration.between(t0, r.startedAt()))
                    + (r.finishedAt() == null ? "..running" : "..+" + secs(Duration.between(t0, r.finishedAt()))
                    + " " + r.reason() + "(" + r.exitCode() + ")"));
        }
        return String.join(", ", out);
    }
}
