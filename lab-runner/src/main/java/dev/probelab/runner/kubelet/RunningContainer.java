package dev.probelab.runner.kubelet;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** One started container instance (a process or a Docker container). */
public interface RunningContainer {

    /** Unique per instance: a restart gets a new one. */
    String id();

    /** Completes with the exit code when the container stops, whatever stopped it. */
    CompletionStage<Integer> exit();

    /** SIGTERM, then SIGKILL once {@code grace} has passed; completes with the exit code. */
    CompletionStage<Integer> stop(Duration grace);

    /** Where {@code containerPort} of this container is reached from this machine. */
    InetSocketAddress address(int containerPort);

    /** Runs {@code command} inside the container: exit 0 is success, else failure with the combined output. */
    CompletionStage<ProbeOutcome> exec(List<String> command, Duration timeout);

    /** Frees what the stopped container still holds (a Docker container, a temp directory). */
    void remove();
}
