package dev.probelab.runner.kubelet;

import java.time.Duration;
import java.util.List;

/**
 * A pod's status as the kubelet reports it to the API server: what {@code kubectl get pods} prints
 * from (the output package does the printing).
 *
 * @param age        since the pod was admitted
 * @param containers in the pod's order
 */
public record PodStatus(String name, Duration age, List<Container> containers) {

    /**
     * One ContainerStatus.
     *
     * @param waitingReason        set while waiting (ContainerCreating, CrashLoopBackOff), else null
     * @param terminatedReason     set while terminated (Completed, Error, StartError), else null
     * @param started              whether it ever started a container
     * @param sinceLastTermination since its last run finished, or null if none did
     */
    public record Container(String name, boolean ready, boolean started, String waitingReason, String terminatedReason,
            int restartCount, Duration sinceLastTermination) {
    }
}
