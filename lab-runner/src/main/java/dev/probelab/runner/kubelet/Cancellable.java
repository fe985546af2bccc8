package dev.probelab.runner.kubelet;

/** A scheduled task that can be called off. */
@FunctionalInterface
public interface Cancellable {
    void cancel();
}
