package dev.probelab.lab.kubelet;

import dev.probelab.lab.ObservedRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's restart decision (pkg/kubelet/kuberuntime/kuberuntime_manager.go, computePodActions and
 * doBackOff) replayed on an observed pod: for each restart, whether it had to come at once or wait for its
 * back-off, and how close that call was. This is where "when does a restart happen" is decided for the
 * checks; the runner's pod worker decides with the same {@link CrashLoopBackOff}.
 *
 * <p>Every run of a lab step ends by a probe kill. The kill and the next start happen in one sync, whose
 * pod status was read before the kill: the newest exited container it shows is the run before the killed
 * one. The start goes at once if there is none, or if at least the current back-off has passed since that
 * run finished (and the back-off then doubles); otherwise it is held, the pod shows CrashLoopBackOff, and it
 * starts at the first sync after the back-off, now counted from the killed run's finish, has passed.
 */
public final class RestartReplay {

    /**
     * The kubelet's decision on one restart.
     *
     * @param restart        1 for the first restart
     * @param held           whether the start had to wait for the back-off
     * @param margin         seconds past the threshold (negative: held); infinite when no back-off applied yet
     * @param earliestStart  the earliest time the kubelet could start it: the killed run's finish, or the back-off's end
     * @param backOff        the back-off the start waited for (held) or went past (at once), zero if none
     * @param tie            whether the margin is within what the timestamps can tell apart (two rounding
     *                       steps): the call could have gone either way
     */
    public record Decision(int restart, boolean held, double margin, double earliestStart, Duration backOff, boolean tie) {
    }

    private RestartReplay() {
    }

    /**
     * The decision on each restart of {@code observed} (its runs oldest first, every run but the last
     * finished), as the kubelet made it from their start and finish times.
     */
    public static List<Decision> decisions(ObservedRun observed) {
        List<ObservedRun.Run> runs = observed.runs();
        double tie = 2 * observed.resolution();
        double[] now = {0};
        CrashLoopBackOff backOff = new CrashLoopBackOff(() -> ObservedRun.duration(now[0]));
        String key = "container";
        List<Decision> decisions = new ArrayList<>();
        for (int k = 1; k < runs.size(); k++) {
            Double killedFinished = runs.get(k - 1).finishedAt();
            if (killedFinished == null) {
                break; // not seen finished: the decision cannot be replayed
            }
            now[0] = killedFinished;
            if (k == 1) {
                decisions.add(new Decision(k, false, Double.POSITIVE_INFINITY, killedFinished, Duration.ZERO, false));
                continue;
            }
            Duration before = ObservedRun.duration(runs.get(k - 2).finishedAt());
            Duration current = backOff.get(key);
            double margin = current.isZero() ? Double.POSITIVE_INFINITY
                    : killedFinished - runs.get(k - 2).finishedAt() - ObservedRun.seconds(current);
            if (!backOff.isInBackOffSince(key, before)) {
                backOff.next(key, before);
                decisions.add(new Decision(k, false, margin, killedFinished, current, Math.abs(margin) < tie));
            } else {
                double ends = ObservedRun.seconds(backOff.backOffEnds(key, ObservedRun.duration(killedFinished)));
                decisions.add(new Decision(k, true, margin, ends, current, Math.abs(margin) < tie));
                now[0] = runs.get(k).startedAt();
                backOff.next(key, ObservedRun.duration(killedFinished));
            }
        }
        return decisions;
    }
}
