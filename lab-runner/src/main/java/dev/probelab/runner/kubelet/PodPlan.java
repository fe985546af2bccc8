package dev.probelab.runner.kubelet;

import java.util.List;
import java.util.Map;

/**
 * One pod to run: a Pod from the manifest, or one replica of a Deployment.
 *
 * @param restartPolicy                 Always, OnFailure or Never
 * @param terminationGracePeriodSeconds the pod's grace period (PodSpecs.DEFAULT_GRACE_PERIOD unless set)
 */
public record PodPlan(
        String name,
        String namespace,
        String uid,
        Map<String, String> labels,
        String restartPolicy,
        long terminationGracePeriodSeconds,
        List<ContainerPlan> containers) {

    /** "name_namespace(uid)", the kubelet's format.Pod, used in its BackOff message. */
    public String kubeletName() {
        return name + "_" + namespace + "(" + uid + ")";
    }
}
