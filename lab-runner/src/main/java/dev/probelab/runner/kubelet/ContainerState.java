package dev.probelab.runner.kubelet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One container of a pod across its restarts, as the kubelet keeps it: its ContainerStatus (state,
 * start and finish, restart count) plus what the pod worker needs between syncs. Read and written on
 * the scheduler's thread only.
 */
final class ContainerState {

    enum State { WAITING, RUNNING, TERMINATED }

    /** One run of the container, on the scheduler's clock; finished null while it runs. */
    record RunTimes(Duration started, Duration finished, String reason, Integer exitCode) {
    }

    final ContainerPlan plan;
    int instances;
    RunningContainer current;
    State state = State.WAITING;
    /** None until the kubelet starts creating it: the pod shows Pending. */
    String waitingReason;
    String terminatedReason;
    Duration startedAt;
    Duration finishedAt;
    Duration previousFinishedAt;
    Duration lastTerminationFinishedAt;
    int restartCount;
    boolean killing;
    boolean pendingStart;
    Cancellable pendingRestart;
    final List<RunTimes> runs = new ArrayList<>();
    /** Started by its startup probe, but no pod sync since (1.20): not Ready yet. */
    boolean startedUnsynced;

    ContainerState(ContainerPlan plan) {
        this.plan = plan;
    }

    boolean running() {
        return state == State.RUNNING && current != null;
    }
}
