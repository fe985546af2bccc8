package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Choosing the path to nodeapp-lb from what the API server says about it. */
@EnableKubernetesMockClient(crud = true)
class ServiceRouteTest {

    static final String NS = "probe-lab-test";
    KubernetesClient client;

    static Service service(IntOrString target) {
        return new ServiceBuilder().withNewMetadata().withName("nodeapp-lb").endMetadata()
                .withNewSpec().withType("LoadBalancer").addToSelector("app", "nodeapp")
                .addNewPort().withName("lb-port").withPort(80).withTargetPort(target).endPort().endSpec().build();
    }

    @BeforeEach
    void namespace() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @Test
    void aLoadBalancerAddressThatComesInTimeIsUsed() {
        client.services().inNamespace(NS).resource(service(new IntOrString(8080))).create();
        // cloud-provider-kind / MetalLB fill in the status a moment later
        CompletableFuture.runAsync(() -> {
            Service s = client.services().inNamespace(NS).withName("nodeapp-lb").get();
            s.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                    .addNewIngress().withIp("172.18.255.200").withIpMode("Proxy").endIngress().endLoadBalancer().build());
            client.services().inNamespace(NS).resource(s).updateStatus();
        }, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));

        ServiceRoute route = ServiceRoute.decide(client, NS, "nodeapp-lb", Duration.ofSeconds(10));

        assertThat(route).isEqualTo(new ServiceRoute.LoadBalancer("nodeapp-lb", "172.18.255.200", 80));
        assertThat(route.honoursReadiness()).isTrue();
        assertThat(route.describe()).isEqualTo("reaching nodeapp-lb through LoadBalancer IP 172.18.255.200");
    }

    @Test
    void aHostnameIngressIsUsedToo() {
        Service s = service(new IntOrString(8080));
        s.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                .addNewIngress().withHostname("lb.example.test").endIngress().endLoadBalancer().build());
        assertThat(ServiceRoute.ingress(s)).map(i -> i.getHostname()).contains("lb.example.test");
    }

    @Test
    void noAddressInTimeMeansAPortForward() {
        client.services().inNamespace(NS).resource(service(new IntOrString(8080))).create();
        ServiceRoute route = ServiceRoute.decide(client, NS, "nodeapp-lb", Duration.ofSeconds(2));
        assertThat(route).isEqualTo(new ServiceRoute.PortForward("nodeapp-lb", "no LoadBalancer address within 2s"));
        assertThat(route.honoursReadiness()).isFalse();
        assertThat(route.describe()).startsWith("reaching nodeapp-lb through a port-forward");
    }

    @Test
    void theTargetPortIsResolvedAsKubeProxyDoes() {
        Pod pod = Fixtures.pod("p", null, false, 0); // container port 8080 named "http"
        assertThat(ServiceRoute.targetPort(service(new IntOrString(8080)), pod)).isEqualTo(8080);
        assertThat(ServiceRoute.targetPort(service(new IntOrString("http")), pod)).isEqualTo(8080);
        assertThat(ServiceRoute.targetPort(service(null), pod)).isEqualTo(80);
        assertThatThrownBy(() -> ServiceRoute.targetPort(service(new IntOrString("metrics")), pod))
                .hasMessageContaining("no container port named metrics");
    }
}
