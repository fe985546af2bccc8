package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.probelab.lab.ExpectedEvent;
import dev.probelab.lab.LabOutcome;
import dev.probelab.lab.LabStep;
import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.OutcomeCheck;
import dev.probelab.lab.ProjectDirs;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A lab step's whole course on the mock API server, with this test playing the kubelet: the pod of
 * liveness1 starts, is killed and restarted, and the events are recorded. The outcome's times are
 * shrunk to seconds so the test is quick; the code path is the one the cluster tests take.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterRunTest {

    static final ServiceRoute.Policy AUTO_1S = new ServiceRoute.Policy(ServiceRoute.Mode.AUTO, Duration.ofSeconds(1));

    KubernetesClient client;

    private static String now(long plusSeconds) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(plusSeconds).toString();
    }

    @Test
    void appliesWatchesWaitsAndCleansUp() throws Exception {
        LabStep step = LabStep.LIVENESS_HTTP;
        String ns;
        try (ClusterRun run = ClusterRun.start(client, step, LabNamespaceTest.fixtureRepo(), AUTO_1S)) {
            ns = run.namespace();
            assertThat(ns).startsWith("probe-lab-liveness1-");
            // the Service came first; the mock has no LoadBalancer support: a port-forward it is
            assertThat(run.route()).containsInstanceOf(ServiceRoute.PortForward.class);
            assertThat(client.apps().deployments().inNamespace(ns).withName("nodeapp-liveness").get()).isNotNull();

            // the "kubelet": the Deployment's pod starts...
            Pod pod = new PodBuilder(Fixtures.pod("nodeapp-liveness-5cc89fd495-wtq4x", null, false, 0))
                    .editMetadata().withNamespace(ns).endMetadata().build();
            client.pods().inNamespace(ns).resource(pod).create();
            String started = now(0);
            Pod running = new PodBuilder(client.pods().inNamespace(ns).withName("nodeapp-liveness-5cc89fd495-wtq4x").get())
                    .editStatus().withPhase("Running").addToContainerStatuses(Fixtures.status("liveness1", Fixtures.id(0), 0,
                            new ContainerStateBuilder().withNewRunning().withStartedAt(started).endRunning().build(), null, true))
                    .endStatus().build();
            client.pods().inNamespace(ns).resource(running).updateStatus();

            Instant t0 = run.awaitStarted();
            assertThat(t0).isEqualTo(Instant.parse(started));
            assertThat(run.container()).isEqualTo("liveness1");

            // ...and is killed by its liveness probe 2 s later, restarted at once
            CompletableFuture.runAsync(() -> {
                Pod restarted = new PodBuilder(client.pods().inNamespace(ns).withName("nodeapp-liveness-5cc89fd495-wtq4x").get())
                        .editStatus().withContainerStatuses(Fixtures.status("liveness1", Fixtures.id(1), 1,
                                new ContainerStateBuilder().withNewRunning().withStartedAt(now(0)).endRunning().build(),
                                new ContainerStateBuilder().withNewTerminated().withContainerID(Fixtures.id(0)).withStartedAt(started)
                                        .withFinishedAt(now(0)).withExitCode(143).withReason("Error").endTerminated().build(), true))
                        .endStatus().build();
                client.pods().inNamespace(ns).resource(restarted).updateStatus();
                for (ExpectedEvent e : step.expectedOutcome().events()) {
                    client.v1().events().inNamespace(ns).resource(new EventBuilder(
                            Fixtures.event("nodeapp-liveness-5cc89fd495-wtq4x", e.type(), e.reason(), e.messagePrefix(), 1, 2, 2))
                            .editMetadata().withNamespace(ns).endMetadata().build()).create();
                }
            }, CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS));

            // The course's outcome with its times shrunk: restart within 8 s, not before 1 s.
            LabOutcome real = step.expectedOutcome();
            LabOutcome quick = new LabOutcome(real.claim(), Duration.ofSeconds(8), real.minRestarts(), real.maxRestarts(),
                    Duration.ofSeconds(1), real.notReadyBefore(), real.readyBy(), real.events());
            long before = System.nanoTime();
            run.awaitWindow(quick);
            // no claim needs the whole window here: it ends as soon as the restart is seen
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(quick.observeFor());

            EventLog events = run.events(quick);
            assertThat(events.all()).hasSize(2);
            ObservedRun observed = run.observed(events, List.of());
            assertThat(OutcomeCheck.restarts(quick, observed)).isEmpty();
            assertThat(OutcomeCheck.readiness(quick, observed)).isEmpty();
            assertThat(OutcomeCheck.events(quick, observed)).isEmpty();
        }
        assertThat(client.namespaces().withName(ns).get()).isNull();
    }

    @Test
    void aMissingManifestFailsBeforeAnythingIsCreated() {
        assertThatThrownBy(() -> ClusterRun.start(client, LabStep.READINESS, LabNamespaceTest.fixtureRepo(), AUTO_1S))
                .hasMessageContaining("readiness.yaml: cannot read");
        assertThat(client.namespaces().list().getItems()).isEmpty();
    }

    @Test
    void theRealManifestsOfEveryStepLoadWithoutANamespace() {
        for (LabStep step : LabStep.values()) {
            List<?> items = LabNamespace.load(ProjectDirs.manifest(step));
            assertThat(items).as(step.manifest()).isNotEmpty();
        }
    }
}
