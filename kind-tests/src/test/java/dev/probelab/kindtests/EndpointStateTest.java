package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EndpointSlices as the endpoint-slice controller writes them while a readiness probe fails, then passes. */
@EnableKubernetesMockClient(crud = true)
class EndpointStateTest {

    static final String NS = "probe-lab-test";
    KubernetesClient client;

    @BeforeEach
    void namespace() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    static EndpointSlice slice(String name, String service, Boolean ready, Boolean terminating) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/service-name", service)
                .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io").endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().addToAddresses("10.244.1.7").withNewConditions().withReady(ready).withServing(ready)
                .withTerminating(terminating).endConditions()
                .withNewTargetRef().withKind("Pod").withName("nodeapp-readiness-5cc89fd495-wtq4x").endTargetRef().endEndpoint()
                .addNewPort().withName("lb-port").withPort(8080).withProtocol("TCP").endPort()
                .build();
    }

    private void store(EndpointSlice s) {
        client.discovery().v1().endpointSlices().inNamespace(NS).resource(s).createOr(r -> r.update());
    }

    @Test
    void aPodFailingItsReadinessProbeIsListedButNotReady() {
        store(slice("nodeapp-lb-abcde", "nodeapp-lb", false, false));
        store(slice("other-xyz", "other", true, false)); // another Service's slice
        assertThat(EndpointState.of(client, NS, "nodeapp-lb")).isEqualTo(new EndpointState(0, 1));
    }

    @Test
    void onceThePodIsReadyItsEndpointIsToo() {
        store(slice("nodeapp-lb-abcde", "nodeapp-lb", true, false));
        assertThat(EndpointState.of(client, NS, "nodeapp-lb")).isEqualTo(new EndpointState(1, 0));
    }

    @Test
    void unknownReadinessCountsAsReadyAndTerminatingAsNot() {
        store(slice("nodeapp-lb-a", "nodeapp-lb", null, null));
        store(slice("nodeapp-lb-b", "nodeapp-lb", true, true));
        assertThat(EndpointState.of(client, NS, "nodeapp-lb")).isEqualTo(new EndpointState(1, 1));
    }

    @Test
    void noSliceYetIsNoEndpoint() {
        assertThat(EndpointState.of(client, NS, "nodeapp-lb")).isEqualTo(new EndpointState(0, 0));
    }
}
