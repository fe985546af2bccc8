package dev.probelab.kindtests;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run of a container (one container ID), as the kubelet reports it in the pod status:
 * {@code state.running} / {@code state.terminated} / {@code lastState.terminated}.
 * Times are the kubelet's, at whole seconds (RFC 3339 in the API).
 *
 * @param finishedAt null while it runs (or as long as no status showed it terminated)
 */
public record ContainerRun(String containerId, Instant startedAt, Instant finishedAt, Integer exitCode, String reason) {

    public Optional<Duration> lifetime() {
        return finishedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, finishedAt));
    }

    ContainerRun merge(ContainerRun later) {
        return new ContainerRun(containerId,
                startedAt != null ? startedAt : later.startedAt,
                finishedAt != null ? finishedAt : later.finishedAt,
                exitCode != null ? exitCode : later.exitCode,
                reason != null ? reason : later.reason);
    }
}
