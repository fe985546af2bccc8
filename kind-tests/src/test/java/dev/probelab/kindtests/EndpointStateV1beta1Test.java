package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSliceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

/** Kubernetes 1.20 answers 404 to discovery.k8s.io/v1 and serves the slices as v1beta1 only. */
@EnableKubernetesMockClient
class EndpointStateV1beta1Test {

    static final String SLICES = "/namespaces/ns/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dnodeapp-lb";
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void whereV1IsNotServedTheV1beta1SlicesAreRead() {
        server.expect().get().withPath("/apis/discovery.k8s.io/v1" + SLICES)
                .andReturn(404, new StatusBuilder().withCode(404).withReason("NotFound").build()).always();
        server.expect().get().withPath("/apis/discovery.k8s.io/v1beta1" + SLICES)
                .andReturn(200, new EndpointSliceListBuilder().addToItems(new EndpointSliceBuilder()
                        .withNewMetadata().withName("nodeapp-lb-x7k2p").addToLabels("kubernetes.io/service-name", "nodeapp-lb").endMetadata()
                        .withAddressType("IPv4")
                        .addNewEndpoint().addToAddresses("172.17.0.2").withNewConditions().withReady(false).endConditions().endEndpoint()
                        .build()).build()).always();

        assertThat(EndpointState.of(client, "ns", "nodeapp-lb")).isEqualTo(new EndpointState(0, 1));
    }
}
