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

        ServiceRoute route = ServiceRoute.decide(client, NS, "nodeapp-lb", new ServiceRoute.Policy(ServiceRoute.Mode.AUTO, Duration.ofSeconds(10)),
                (host, port, within) -> host.equals("172.18.255.200") && port == 80);

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
        ServiceRoute route = ServiceRoute.decide(client, NS, "nodeapp-lb", new ServiceRoute.Policy(ServiceRoute.Mode.AUTO, Duration.ofSeconds(2)));
        assertThat(route).isEqualTo(new ServiceRoute.PortForward("nodeapp-lb", "no LoadBalancer address within 2s"));
        assertThat(route.honoursReadiness()).isFalse();
        assertThat(route.describe()).startsWith("reaching nodeapp-lb through a port-forward");
    }

    @Test
    void anAddressThatDoesNotAnswerFallsBackInAutoModeAndFailsWhenTheLoadBalancerIsRequired() {
        Service s = service(new IntOrString(8080));
        s.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                .addNewIngress().withIp("172.18.255.200").endIngress().endLoadBalancer().build());
        client.services().inNamespace(NS).resource(s).create();
        client.services().inNamespace(NS).resource(s).updateStatus();
        ServiceRoute.Reachability silent = (host, port, within) -> false;

        assertThat(ServiceRoute.decide(client, NS, "nodeapp-lb", new ServiceRoute.Policy(ServiceRoute.Mode.AUTO, Duration.ofSeconds(1)), silent))
                .isEqualTo(new ServiceRoute.PortForward("nodeapp-lb",
                        "LoadBalancer address 172.18.255.200 does not answer a TCP connect from here within 1s"));
        assertThatThrownBy(() -> ServiceRoute.decide(client, NS, "nodeapp-lb",
                new ServiceRoute.Policy(ServiceRoute.Mode.LOADBALANCER, Duration.ofSeconds(1)), silent))
                .isInstanceOf(ServiceRoute.LoadBalancerMissing.class)
                .hasMessage("PROBE_LAB_SERVICE_ROUTE=loadbalancer, but LoadBalancer address 172.18.255.200 does not answer "
                        + "a TCP connect from here within 1s");
    }

    @Test
    void noAddressAtAllFailsWhenTheLoadBalancerIsRequired() {
        client.services().inNamespace(NS).resource(service(new IntOrString(8080))).create();
        assertThatThrownBy(() -> ServiceRoute.decide(client, NS, "nodeapp-lb",
                new ServiceRoute.Policy(ServiceRoute.Mode.LOADBALANCER, Duration.ofSeconds(1)), (h, p, w) -> true))
                .isInstanceOf(ServiceRoute.LoadBalancerMissing.class)
                .hasMessage("PROBE_LAB_SERVICE_ROUTE=loadbalancer, but no LoadBalancer address within 1s");
    }

    @Test
    void theNodePortRouteUsesTheNodePortOnThisMachine() {
        Service s = service(new IntOrString(8080));
        s.getSpec().getPorts().get(0).setNodePort(31380);
        client.services().inNamespace(NS).resource(s).create();
        ServiceRoute route = ServiceRoute.decide(client, NS, "nodeapp-lb", new ServiceRoute.Policy(ServiceRoute.Mode.NODEPORT, Duration.ZERO));
        assertThat(route).isEqualTo(new ServiceRoute.NodePort("nodeapp-lb", "127.0.0.1", 31380));
        assertThat(route.honoursReadiness()).isTrue();
        assertThat(route.describe()).isEqualTo("reaching nodeapp-lb through its NodePort 127.0.0.1:31380 (no LoadBalancer on this cluster)");
    }

    @Test
    void thePolicyComesFromTheEnvironmentAndBadValuesAreNamed() {
        assertThat(ServiceRoute.Policy.from(java.util.Map.of())).isEqualTo(new ServiceRoute.Policy(ServiceRoute.Mode.AUTO, Duration.ofSeconds(30)));
        assertThat(ServiceRoute.Policy.from(java.util.Map.of("PROBE_LAB_SERVICE_ROUTE", "nodeport")).mode()).isEqualTo(ServiceRoute.Mode.NODEPORT);
        assertThat(ServiceRoute.Policy.from(java.util.Map.of("PROBE_LAB_SERVICE_ROUTE", "LoadBalancer", "PROBE_LAB_LB_WAIT_SECONDS", "90")))
                .isEqualTo(new ServiceRoute.Policy(ServiceRoute.Mode.LOADBALANCER, Duration.ofSeconds(90)));
        assertThatThrownBy(() -> ServiceRoute.Policy.from(java.util.Map.of("PROBE_LAB_SERVICE_ROUTE", "ingress")))
                .hasMessage("PROBE_LAB_SERVICE_ROUTE=ingress is not one of auto, loadbalancer, nodeport");
        assertThatThrownBy(() -> ServiceRoute.Policy.from(java.util.Map.of("PROBE_LAB_LB_WAIT_SECONDS", "30s")))
                .hasMessage("PROBE_LAB_LB_WAIT_SECONDS=30s is not a whole number of seconds");
    }

    @Test
    void aRefusedConnectStillMeansTheAddressAnswers() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
            assertThat(ServiceRoute.answers("127.0.0.1", closedPort, Duration.ofSeconds(1))).as("accepted").isTrue();
        }
        assertThat(ServiceRoute.answers("127.0.0.1", closedPort, Duration.ofSeconds(1))).as("refused").isTrue();
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
