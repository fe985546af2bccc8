package dev.probelab.runner.output;

import dev.probelab.runner.kubelet.PodStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row of `kubectl get pods` from a pod's status, as the API server prints it (printPod in
 * pkg/printers/internalversion/printers.go): the last container's waiting or terminated reason wins,
 * else the phase; RESTARTS adds "(Xs ago)" on servers that print it.
 */
public final class PodPrinter {

    private PodPrinter() {
    }

    /** @param showsLastRestartAge whether the server adds the last restart's age (KubeletVersion.showsLastRestartAge) */
    public static PodStatusLine line(PodStatus status, boolean showsLastRestartAge) {
        int readyContainers = 0;
        int restarts = 0;
        Duration sinceLastRestart = null;
        boolean everStarted = false;
        String reason = null;
        List<PodStatus.Container> reversed = new ArrayList<>(status.containers());
        Collections.reverse(reversed);
        for (PodStatus.Container c : reversed) {
            restarts += c.restartCount();
            everStarted |= c.started();
            if (c.sinceLastTermination() != null && (sinceLastRestart == null || c.sinceLastTermination().compareTo(sinceLastRestart) < 0)) {
                sinceLastRestart = c.sinceLastTermination();
            }
            if (c.waitingReason() != null) {
                reason = c.waitingReason();
            } else if (c.terminatedReason() != null) {
                reason = c.terminatedReason();
            } else if (c.ready()) {
                readyContainers++;
            }
        }
        String phase = everStarted ? "Running" : "Pending";
        return new PodStatusLine(status.name(), readyContainers, status.containers().size(), reason == null ? phase : reason,
                restarts, showsLastRestartAge ? sinceLastRestart : null, status.age());
    }
}
