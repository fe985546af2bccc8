package dev.probelab.kindtests;

import static dev.probelab.kindtests.Fixtures.id;
import static dev.probelab.kindtests.Fixtures.running;
import static dev.probelab.kindtests.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class WaitsTest {

    static final String NS = "probe-lab-test";
    KubernetesClient client;

    @Test
    void returnsTheValueOnceTheConditionHolds() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        client.pods().inNamespace(NS).resource(Fixtures.pod("p", status("readiness", id(0), 0, running(0), null, false), false, 0)).create();
        CompletableFuture.runAsync(() -> {
            Pod ready = new PodBuilder(client.pods().inNamespace(NS).withName("p").get())
                    .editStatus().editMatchingCondition(c -> c.getType().equals("Ready")).withStatus("True")
                    .withLastTransitionTime(Fixtures.at(66)).endCondition().endStatus().build();
            client.pods().inNamespace(NS).resource(ready).updateStatus();
        }, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));

        Pod pod = Waits.until("pod p Ready", Duration.ofSeconds(10), Duration.ofMillis(200),
                () -> client.pods().inNamespace(NS).withName("p").get(), PodTimeline::isReady);

        assertThat(PodTimeline.condition(pod, "Ready")).hasValueSatisfying(c -> assertThat(c.getLastTransitionTime()).isEqualTo(Fixtures.at(66)));
    }

    @Test
    void aTimeOutSaysWhatWasAwaitedAndWhatWasLastSeen() {
        assertThatThrownBy(() -> Waits.until("restartCount >= 2", Duration.ofSeconds(1), Duration.ofMillis(100),
                () -> "restartCount 1", s -> s.endsWith("2")))
                .isInstanceOf(Waits.TimedOut.class)
                .hasMessage("timed out after 1s waiting for restartCount >= 2; last seen: restartCount 1");
    }

    @Test
    void aFailingProbeIsNotYetAndShowsInTheMessage() {
        AtomicInteger calls = new AtomicInteger();
        String value = Waits.until("the API back", Duration.ofSeconds(5), Duration.ofMillis(50), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("connection reset");
            }
            return "ok";
        }, "ok"::equals);
        assertThat(value).isEqualTo("ok");

        assertThatThrownBy(() -> Waits.until("the API back", Duration.ofMillis(500), Duration.ofMillis(50),
                () -> { throw new IllegalStateException("connection reset"); }, x -> true))
                .hasMessageContaining("last seen: java.lang.IllegalStateException: connection reset");
    }
}
