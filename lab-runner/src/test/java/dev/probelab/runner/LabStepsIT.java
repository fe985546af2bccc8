package dev.probelab.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.probelab.lab.ExpectedEvent;
import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.OutcomeCheck;
import dev.probelab.lab.kubelet.KubeletVersion;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Every lab step end to end through the real CLI (target/lab-runner.jar) with the local runtime:
 * the apps' timings shortened with --env, the manifests' probe settings unchanged, and every
 * expectation taken from {@link LabStep#expectedOutcome(Duration)}, the claims the kind tests check
 * on a real cluster. The steps run in parallel (each is mostly waiting for probe periods).
 */
@Execution(ExecutionMode.CONCURRENT)
class LabStepsIT {

    /** The runner's own start (a JVM) comes before its --for clock starts; the rest is the step's. */
    private static final Duration RUNNER_SLACK = Duration.ofSeconds(30);
    private static final String POD_LINE = "^%s-[a-z0-9]{1,10}-[a-z0-9]{5}\\s+%s\\s+%s\\s+.*";

    private static ObservedRun onlyPod(dev.probelab.runner.output.Summary summary) {
        assertThat(summary.pods()).hasSize(1);
        return summary.pods().get(0);
    }

    /**
     * Runs the step for its observeFor with --summary json, and judges what it showed with the checker
     * the cluster tests use (OutcomeCheck), for the kubelet ./lab plays by default.
     */
    private static ObservedRun runAndCheck(LabProcess lab, LabOutcome expected) throws Exception {
        assertThat(lab.awaitExit(expected.observeFor().plus(RUNNER_SLACK))).as(lab.output()).isZero();
        assertThat(lab.lines()).as("no stack trace").noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
        assertThat(lab.errorLines()).as("no stack trace on stderr").noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
        assertThat(lab.lines().get(0)).startsWith("lab: runtime: local");
        ObservedRun pod = onlyPod(lab.summary());
        assertThat(OutcomeCheck.check(expected, pod, KubeletVersion.CURRENT)).as(lab.output()).isEmpty();
        for (ExpectedEvent e : expected.events()) {
            // ... each expected event printed as a row of `kubectl describe pod`'s Events.
            assertThat(lab.lines()).anyMatch(l -> l.matches("^\\s+" + e.type() + "\\s+" + e.reason() + "\\s+.*\\s"
                    + (e.reason().equals("Scheduled") ? "default-scheduler" : "kubelet") + "\\s+"
                    + java.util.regex.Pattern.quote(e.messagePrefix()) + ".*"));
        }
        return pod;
    }

    private static String forOption(LabOutcome expected) {
        return expected.observeFor().toMillis() + "ms";
    }

    @Test
    void liveness1_restartsOnceHealthzAnswers500() throws Exception {
        Duration failAfter = Duration.ofSeconds(5);
        LabOutcome expected = LabStep.LIVENESS_HTTP.expectedOutcome(failAfter);
        try (LabProcess lab = LabProcess.start(LabStep.LIVENESS_HTTP.manifest(), "--env", "FAIL_AFTER=5s",
                "--for", forOption(expected), "--summary", "json")) {
            runAndCheck(lab, expected);
            assertThat(lab.lines()).as("a kubectl get pods -w line after the restart")
                    .anyMatch(l -> l.matches("^nodeapp-liveness-[a-z0-9]{1,10}-[a-z0-9]{5}\\s+1/1\\s+Running\\s+1 \\(\\d+s ago\\)\\s+\\d+s$"));
        }
    }

    @Test
    void readiness_refusesUntilReadyThenServesThePod() throws Exception {
        LabOutcome expected = LabStep.READINESS.expectedOutcome(Duration.ofSeconds(15));
        try (LabProcess lab = LabProcess.start(LabStep.READINESS.manifest(), "--env", "READY_AFTER=15s",
                "--for", forOption(expected), "--summary", "json")) {
            int port = lab.servicePort(Duration.ofSeconds(30));
            lab.awaitLine(l -> l.matches(POD_LINE.formatted("nodeapp-readiness", "0/1", "Running")), Duration.ofSeconds(30));
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                }
            }).as("the Service port refuses while the pod is not ready").isInstanceOf(ConnectException.class);

            String readyLine = lab.awaitLine(l -> l.matches(POD_LINE.formatted("nodeapp-readiness", "1/1", "Running")),
                    expected.readyBy().plus(RUNNER_SLACK));
            String podName = readyLine.split("\\s+")[0];
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("readiness-app").contains("hostname: " + podName);

            runAndCheck(lab, expected);
        }
    }

    @Test
    void startupWithoutStartupProbe_restartsAgainAndAgain() throws Exception {
        LabOutcome expected = LabStep.STARTUP_LIVENESS_ONLY.expectedOutcome(Duration.ofSeconds(20));
        try (LabProcess lab = LabProcess.start(LabStep.STARTUP_LIVENESS_ONLY.manifest(), "--env", "STARTUP_DELAY=20s",
                "--for", forOption(expected), "--summary", "json")) {
            ObservedRun pod = runAndCheck(lab, expected);
            assertThat(pod.podLines()).extracting(ObservedRun.PodLine::status).as("a kill and its restart show no line between them")
                    .contains("CrashLoopBackOff").doesNotContain("Completed", "Error");
            assertThat(lab.lines()).anyMatch(l -> l.matches(POD_LINE.formatted("nodeapp-startup", "0/1", "CrashLoopBackOff")));
        }
    }

    @Test
    void startupProbe_noRestartAndReadyOnceUp() throws Exception {
        LabOutcome expected = LabStep.STARTUP_PROBE.expectedOutcome(Duration.ofSeconds(20));
        try (LabProcess lab = LabProcess.start(LabStep.STARTUP_PROBE.manifest(), "--env", "STARTUP_DELAY=20s",
                "--for", forOption(expected), "--summary", "json")) {
            runAndCheck(lab, expected);
        }
    }

    @Test
    void tcpSocket_readyAsSoonAsThePortIsOpen() throws Exception {
        // The course's READY_AFTER (60 s): /healthz answers 500 the whole time, the TCP probe passes anyway.
        LabOutcome expected = LabStep.TCP_SOCKET.expectedOutcome();
        try (LabProcess lab = LabProcess.start(LabStep.TCP_SOCKET.manifest(), "--for", forOption(expected),
                "--summary", "json")) {
            runAndCheck(lab, expected);
        }
    }

    @Test
    void liveness1_withDockerRunsTheRealImage() throws Exception {
        String image = "probe-lab/liveness-app:1.0.0";
        boolean docker = dev.probelab.runner.runtime.DockerRuntime.available()
                && dev.probelab.runner.runtime.DockerRuntime.hasImage(image);
        if (!docker) {
            System.out.println("LabStepsIT: the Docker runtime skipped: no Docker, or no image " + image);
        }
        assumeThat(docker).as("Docker with " + image).isTrue();
        LabOutcome expected = LabStep.LIVENESS_HTTP.expectedOutcome(Duration.ofSeconds(5));
        try (LabProcess lab = LabProcess.startWithRuntime("docker", LabStep.LIVENESS_HTTP.manifest(),
                "--env", "FAIL_AFTER=5s", "--for", forOption(expected), "--summary", "json")) {
            assertThat(lab.awaitExit(expected.observeFor().plus(RUNNER_SLACK))).as(lab.output()).isZero();
            assertThat(lab.lines().get(0)).startsWith("lab: runtime: docker");
            ObservedRun pod = onlyPod(lab.summary());
            assertThat(OutcomeCheck.check(expected, pod, KubeletVersion.CURRENT)).as(lab.output()).isEmpty();
        }
    }

    @Test
    void liveness2_busyboxExecProbeRestartsAfterTheFileIsGone() throws Exception {
        boolean busybox = List.of(System.getenv("PATH").split(java.io.File.pathSeparator)).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, "busybox")));
        if (!busybox) {
            System.out.println("LabStepsIT: liveness2 skipped: no busybox on PATH (apt-get install busybox)");
        }
        assumeThat(busybox).as("busybox on PATH").isTrue();
        LabOutcome expected = LabStep.LIVENESS_EXEC.expectedOutcome(null);
        try (LabProcess lab = LabProcess.start(LabStep.LIVENESS_EXEC.manifest(), "--for", forOption(expected),
                "--summary", "json")) {
            runAndCheck(lab, expected);
            assertThat(lab.lines()).anyMatch(l -> l.matches("^liveness2\\s+1/1\\s+Running\\s+.*"));
        }
    }

    @Test
    void interruptStopsEverythingAndLeavesNoProcess() throws Exception {
        try (LabProcess lab = LabProcess.start(LabStep.LIVENESS_HTTP.manifest())) {
            lab.awaitLine(l -> l.matches(POD_LINE.formatted("nodeapp-liveness", "1/1", "Running")), Duration.ofSeconds(60));
            List<ProcessHandle> started = lab.seenDescendants();
            assertThat(started).as("the app's process").isNotEmpty();
            // What a terminal's Ctrl-C sends to the runner.
            new ProcessBuilder("kill", "-INT", Long.toString(lab.pid())).start().waitFor();
            lab.awaitExit(Duration.ofSeconds(20));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
        }
    }
}
