package dev.probelab.runner.kubelet;

import java.time.Duration;

/**
 * What a probe worker reads of its container's status (the kubelet's v1.ContainerStatus).
 *
 * @param id        the container instance's ID; a restart gives a new one
 * @param running   State.Running != nil
 * @param startedAt State.Running.StartedAt, on the scheduler's clock
 * @param started   ContainerStatus.Started: the startup probe succeeded, or there is none
 */
public record ContainerSnapshot(String id, boolean running, Duration startedAt, boolean started) {
}
