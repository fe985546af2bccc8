package dev.probelab.kindtests;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Pod and Event objects shaped as the API server returns them for the lab steps (field names, RFC 3339
 * whole-second times, container IDs), built in code so each test shows the status it is about.
 */
final class Fixtures {

    /** t0 of every fixture: the first container's startedAt. */
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private Fixtures() {
    }

    static String at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0).toString();
    }

    /** The kubelet writes whole seconds: a real start at +0.7 s reads +0 s. */
    static String truncated(Duration afterT0) {
        return T0.plus(afterT0).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static ContainerState running(long startedAt) {
        return new ContainerStateBuilder().withNewRunning().withStartedAt(at(startedAt)).endRunning().build();
    }

    static ContainerState terminated(String id, long startedAt, long finishedAt, int exitCode, String reason) {
        return new ContainerStateBuilder().withNewTerminated().withContainerID(id).withStartedAt(at(startedAt))
                .withFinishedAt(at(finishedAt)).withExitCode(exitCode).withReason(reason).endTerminated().build();
    }

    static ContainerState waiting(String reason) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).endWaiting().build();
    }

    static ContainerStatus status(String name, String id, int restarts, ContainerState state, ContainerState last, boolean ready) {
        return new ContainerStatusBuilder().withName(name).withContainerID(id).withRestartCount(restarts)
                .withState(state).withLastState(last == null ? new ContainerState() : last).withReady(ready)
                .withStarted(state.getRunning() != null).withImage("probe-lab/liveness-app:1.0.0").build();
    }

    static String id(int run) {
        return "containerd://" + "%064x".formatted(run + 0xabc);
    }

    /** A lab pod with one container, phase Running (Pending while no status), Ready as given. */
    static Pod pod(String name, ContainerStatus status, Boolean ready, long readyTransition) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("probe-lab-test")
                .withUid("c1226908-b3ce-4070-9235-4efbe8ae96f5").addToLabels("app", "nodeapp").endMetadata()
                .withNewSpec().addNewContainer().withName(status == null ? "liveness1" : status.getName())
                .withImage("probe-lab/liveness-app:1.0.0").addNewPort().withName("http").withContainerPort(8080)
                .endPort().endContainer().endSpec();
        b.withNewStatus().withPhase(status == null ? "Pending" : "Running")
                .addNewCondition().withType("Ready").withStatus(Boolean.TRUE.equals(ready) ? "True" : "False")
                .withLastTransitionTime(at(readyTransition)).endCondition()
                .addToContainerStatuses(status == null ? new ContainerStatus[0] : new ContainerStatus[] {status})
                .endStatus();
        return b.build();
    }

    static Event event(String pod, String type, String reason, String message, int count, long first, long last) {
        return new EventBuilder().withNewMetadata().withName(pod + "." + Long.toHexString(message.hashCode() & 0xffffffffL))
                .withNamespace("probe-lab-test").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace("probe-lab-test").withApiVersion("v1")
                .withFieldPath("spec.containers{liveness1}").endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message).withCount(count)
                .withFirstTimestamp(at(first)).withLastTimestamp(at(last))
                .withNewSource().withComponent("kubelet").withHost("probe-lab-worker").endSource()
                .withReportingComponent("kubelet").withReportingInstance("probe-lab-worker")
                .build();
    }
}
