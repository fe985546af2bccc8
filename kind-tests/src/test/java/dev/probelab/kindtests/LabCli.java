package dev.probelab.kindtests;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.probelab.lab.LabStep;
import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.kubelet.KubeletVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./lab} as a user runs it, in the background: one lab step for a fixed time, with
 * {@code --summary json}; its observed run is the summary's one pod.
 */
final class LabCli implements AutoCloseable {

    /** The summary's shape ({@code lab-runner}'s Summary). */
    record Summary(List<ObservedRun> pods) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String runtime;
    private final Process process;
    private final CompletableFuture<String> output;

    private LabCli(String runtime, Process process) {
        this.runtime = runtime;
        this.process = process;
        this.output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    }

    /** Starts {@code ./lab k8s/<step> --runtime <runtime> --kubelet-version <version> --for <seconds>s --summary json}. */
    static LabCli start(Path root, LabStep step, String runtime, KubeletVersion version, Duration runFor) {
        String kubelet = version == KubeletVersion.CURRENT ? "current" : version.label().substring(1);
        try {
            Process p = new ProcessBuilder(root.resolve("lab").toString(), "k8s/" + step.manifest(), "--runtime", runtime,
                    "--kubelet-version", kubelet, "--for", runFor.toSeconds() + "s", "--summary", "json", "--service-port", "0")
                    .directory(root.toFile()).redirectErrorStream(true).start();
            return new LabCli(runtime, p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ./lab: " + e.getMessage(), e);
        }
    }

    String runtime() {
        return runtime;
    }

    /** Waits for the run to end and returns its observed run; fails with the output when it did not end well. */
    ObservedRun await(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("./lab --runtime " + runtime + " did not end within " + within.toSeconds() + "s");
            }
            String out = output.get(10, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new AssertionError("./lab --runtime " + runtime + " exited " + process.exitValue() + ":\n" + out);
            }
            String[] lines = out.strip().split("\n");
            Summary summary = JSON.readValue(lines[lines.length - 1], Summary.class);
            if (summary.pods().size() != 1) {
                throw new AssertionError("expected one pod from ./lab, got " + summary.pods().size() + ":\n" + out);
            }
            return summary.pods().get(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError("./lab --runtime " + runtime + ": " + e.getMessage(), e);
        }
    }

    /** Everything ./lab printed so far (its console: pod lines and events). */
    String output() {
        return output.getNow("(still running)");
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output lost: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy(); // ./lab stops its containers on SIGTERM
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
