package dev.probelab.runner.kubelet;

import java.util.concurrent.CompletionStage;

/** Runs one probe handler against a running container. */
@FunctionalInterface
public interface ProbeExecutor {
    CompletionStage<ProbeOutcome> probe(ProbeSettings probe, RunningContainer container);
}
