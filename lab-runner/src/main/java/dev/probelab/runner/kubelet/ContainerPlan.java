package dev.probelab.runner.kubelet;

import java.util.List;
import java.util.Map;

/**
 * One container of a pod as the runner starts it.
 *
 * @param command        the container's command (replaces the image's entrypoint), may be empty
 * @param args           the container's args, may be empty
 * @param env            environment from the manifest plus --env, in order
 * @param containerPorts declared containerPorts (TCP), in order
 * @param probes         the probes the container declares
 */
public record ContainerPlan(
        String name,
        String image,
        List<String> command,
        List<String> args,
        Map<String, String> env,
        List<Integer> containerPorts,
        Map<ProbeType, ProbeSettings> probes) {
}
