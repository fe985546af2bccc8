package dev.probelab.runner.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.runner.kubelet.PodPlan;
import dev.probelab.runner.kubelet.ProbeHandler;
import dev.probelab.runner.kubelet.ProbeSettings;
import dev.probelab.runner.kubelet.ProbeType;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lab's own manifests as the runner reads them: names, probe settings with defaults, env, Service. */
class LabManifestTest {

    private static final Path K8S = Path.of("../k8s");

    @Test
    void aDeploymentsPodIsNamedLikeTheReplicaSetControllerNamesIt() {
        LabManifest lab = LabManifest.read(K8S.resolve("liveness1.yaml"), Map.of(), new Random(1));
        LabManifest again = LabManifest.read(K8S.resolve("liveness1.yaml"), Map.of(), new Random(2));
        PodPlan pod = lab.pods().get(0);
        assertThat(pod.name()).matches("nodeapp-liveness-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}");
        String replicaSet = pod.name().substring(0, pod.name().lastIndexOf('-'));
        assertThat(again.pods().get(0).name()).as("same template, same hash").startsWith(replicaSet + "-");
        assertThat(pod.restartPolicy()).isEqualTo("Always");
        assertThat(pod.terminationGracePeriodSeconds()).isEqualTo(30);
        assertThat(pod.kubeletName()).matches(pod.name() + "_default\\(.{36}\\)");
    }

    @Test
    void probesGetTheManifestsNumbersAndTheKubeletsDefaults() {
        LabManifest lab = LabManifest.read(K8S.resolve("startup-probe.yaml"), Map.of("STARTUP_DELAY", "20s"), new Random());
        var container = lab.pods().get(0).containers().get(0);
        ProbeSettings liveness = container.probes().get(ProbeType.LIVENESS);
        assertThat(liveness).isEqualTo(new ProbeSettings(
                new ProbeHandler.HttpGet("HTTP", null, 8080, "/healthz", java.util.List.of()), 3, 3, 1, 1, 2, null));
        ProbeSettings startup = container.probes().get(ProbeType.STARTUP);
        assertThat(startup.initialDelaySeconds()).isZero();
        assertThat(startup.periodSeconds()).isEqualTo(10);
        assertThat(startup.failureThreshold()).isEqualTo(10);
        assertThat(container.env()).containsEntry("STARTUP_DELAY", "20s");
        assertThat(lab.services()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("nodeapp-lb");
            assertThat(s.ports()).containsExactly(new ServicePlan.Port("lb-port", 80, 8080));
            assertThat(s.selects(lab.pods().get(0).labels())).isTrue();
        });
    }

    @Test
    void aPodKeepsItsNameAndItsExecProbe() {
        LabManifest lab = LabManifest.read(K8S.resolve("liveness2.yaml"), Map.of(), new Random());
        assertThat(lab.pods()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("liveness2");
            assertThat(p.containers().get(0).probes().get(ProbeType.LIVENESS).handler())
                    .isEqualTo(new ProbeHandler.Exec(java.util.List.of("cat", "/tmp/healthy")));
        });
        assertThat(lab.services()).isEmpty();
    }

    @Test
    void everyLabManifestReads() {
        for (String file : new String[] {"liveness1.yaml", "liveness2.yaml", "readiness.yaml", "startup.yaml",
                "startup-probe.yaml", "tcp-socket.yaml"}) {
            assertThat(LabManifest.read(K8S.resolve(file), Map.of(), new Random()).pods()).as(file).isNotEmpty();
        }
    }
}
