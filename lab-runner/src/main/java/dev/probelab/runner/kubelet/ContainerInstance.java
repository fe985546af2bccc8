package dev.probelab.runner.kubelet;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What every {@link RunningContainer} keeps alike: its id and its exit code to come. */
public abstract class ContainerInstance implements RunningContainer {

    private final String id;
    /** Completed by the runtime with the exit code, whatever ended the container. */
    protected final CompletableFuture<Integer> exit;

    protected ContainerInstance(String id, CompletableFuture<Integer> exit) {
        this.id = id;
        this.exit = exit;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final CompletionStage<Integer> exit() {
        return exit;
    }
}
