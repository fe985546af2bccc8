package dev.probelab.runner.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.runner.kubelet.PodEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The student's view: `kubectl get pods -w` rows, and `kubectl describe pod` event rows. */
class ConsoleTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            List.of("nodeapp-startup-5cc89fd495-wtq4x"));

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void podRowsLikeKubectlGetPodsWatch() {
        console.pod(new PodStatusLine("nodeapp-startup-5cc89fd495-wtq4x", 1, 1, "Running", 6, Duration.ofSeconds(23),
                Duration.ofSeconds(303)));
        console.pod(new PodStatusLine("nodeapp-startup-5cc89fd495-wtq4x", 1, 1, "Running", 6, Duration.ofSeconds(24),
                Duration.ofSeconds(304)));
        assertThat(lines()).containsExactly(
                "NAME                               READY   STATUS              RESTARTS        AGE",
                "nodeapp-startup-5cc89fd495-wtq4x   1/1     Running             6 (23s ago)     5m3s");
    }

    @Test
    void eventRowsLikeKubectlDescribePod() {
        console.event("p", new PodEvent("Warning", "Unhealthy", "kubelet", "Liveness probe failed: HTTP probe failed with statuscode: 500",
                9, Duration.ofSeconds(10), Duration.ofSeconds(306)), Duration.ofSeconds(306));
        assertThat(lines()).containsExactly(
                "  Type     Reason     Age                 From               Message",
                "  ----     ------     ----                ----               -------",
                "  Warning  Unhealthy  0s (x9 over 4m56s)  kubelet            Liveness probe failed: HTTP probe failed with statuscode: 500");
    }
}
