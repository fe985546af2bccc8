package dev.probelab.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each behaviour that differs between Kubernetes 1.20 and current, as the two kubelets show it. */
class KubeletVersionTest {

    private static final KubeletVersion V120 = KubeletVersion.V1_20;
    private static final KubeletVersion CURRENT = KubeletVersion.CURRENT;

    @Test
    void aClustersVersionPicksItsProfile() {
        assertThat(KubeletVersion.of("v1.20.2")).isEqualTo(V120);
        assertThat(KubeletVersion.of("v1.35.0")).isEqualTo(CURRENT);
        assertThat(KubeletVersion.of("1.36.1")).isEqualTo(CURRENT);
        assertThatThrownBy(() -> KubeletVersion.of("v1.28.3")).hasMessageContaining("./lab knows 1.20 and current");
    }

    @Test
    void eventWordingAsEachKubeletWritesIt() {
        assertThat(V120.pulledMessage("busybox:1.36.1")).isEqualTo("Container image \"busybox:1.36.1\" already present on machine");
        assertThat(CURRENT.pulledMessage("busybox:1.36.1"))
                .isEqualTo("Container image \"busybox:1.36.1\" already present on machine and can be accessed by the pod");
        assertThat(V120.createdMessage("liveness2")).isEqualTo("Created container liveness2");
        assertThat(V120.startedMessage("liveness2")).isEqualTo("Started container liveness2");
        assertThat(CURRENT.createdMessage("liveness2")).isEqualTo("Container created");
        assertThat(CURRENT.startedMessage("liveness2")).isEqualTo("Container started");
        assertThat(V120.backOffMessage("startup1", "p_ns(uid)")).isEqualTo("Back-off restarting failed container");
        assertThat(CURRENT.backOffMessage("startup1", "p_ns(uid)")).isEqualTo("Back-off restarting failed container startup1 in pod p_ns(uid)");
        assertThat(V120.probeUserAgent()).isEqualTo("kube-probe/1.20");
        assertThat(CURRENT.probeUserAgent()).isEqualTo("kube-probe/1.35");
    }

    @Test
    void aHeldPodIsSyncedAgainByEachVersionsRequeue() {
        Duration held = Duration.ofSeconds(26);
        Duration backOffEnds = Duration.ofSeconds(35);
        // 1.20: 10 to 15 s after the sync that held it, the middle taken; v1.20.2 restarted 14 s after that run's end.
        assertThat(V120.nextSyncOfHeldPod(held, backOffEnds)).isEqualTo(Duration.ofMillis(38_500));
        assertThat(V120.latestResyncAfterBackOff(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(16));
        // 1.35: the time left, with up to half of it more, the middle taken; capped at syncFrequency.
        assertThat(CURRENT.nextSyncOfHeldPod(held, backOffEnds)).isEqualTo(Duration.ofMillis(37_250));
        assertThat(CURRENT.nextSyncOfHeldPod(Duration.ZERO, Duration.ofSeconds(300))).isEqualTo(Duration.ofSeconds(75));
        assertThat(CURRENT.latestResyncAfterBackOff(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void readyAfterAStartupProbeWaitsForTheNextSyncOn120Only() {
        assertThat(V120.syncsPodOnStartupResult()).isFalse();
        assertThat(V120.latestReadyAfterStartup()).isEqualTo(Duration.ofSeconds(91));
        assertThat(CURRENT.syncsPodOnStartupResult()).isTrue();
        assertThat(CURRENT.latestReadyAfterStartup()).isZero();
    }

    @Test
    void restartsShowTheirAgeFrom122On() {
        assertThat(V120.showsLastRestartAge()).isFalse();
        assertThat(CURRENT.showsLastRestartAge()).isTrue();
    }
}
