package dev.probelab.runner.kubelet;

import java.util.concurrent.CompletionStage;

/** Starts containers: Docker, or local processes. */
public interface ContainerRuntime extends AutoCloseable {

    /** Starts instance {@code instance} (0 first, then one more per restart) of a container of {@code pod}. */
    CompletionStage<RunningContainer> start(PodPlan pod, ContainerPlan container, int instance);

    /** Kills and removes whatever is still there: the safety net behind every graceful stop. */
    @Override
    default void close() {
    }
}
