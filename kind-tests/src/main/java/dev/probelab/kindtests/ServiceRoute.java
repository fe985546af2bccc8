package dev.probelab.kindtests;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the tests reach a lab Service (nodeapp-lb, type LoadBalancer, port 80 -> 8080).
 *
 * <ul>
 *   <li>{@link LoadBalancer}: the address the cluster's LoadBalancer support (cloud-provider-kind or
 *       MetalLB on kind) put in {@code status.loadBalancer.ingress}. This is the course's path (curl to
 *       the LB IP): the request goes through kube-proxy's Service rules, so only ready endpoints get it.</li>
 *   <li>{@link PortForward}: no address came. A port-forward goes to ONE POD's port through the kubelet,
 *       bypassing the Service and readiness entirely: a not-ready pod still answers. Through it we check
 *       what the app answers, never "the Service answers nothing"; that claim is then checked on the
 *       EndpointSlice only.</li>
 * </ul>
 */
public sealed interface ServiceRoute {

    /** How long to wait for a LoadBalancer address (PROBE_LAB_LB_WAIT_SECONDS overrides it). */
    Duration DEFAULT_LB_WAIT = Duration.ofSeconds(30);

    record LoadBalancer(String service, String host, int port) implements ServiceRoute {
        @Override
        public String describe() {
            return "reaching " + service + " through LoadBalancer IP " + host + (port == 80 ? "" : " port " + port);
        }
    }

    record PortForward(String service, String why) implements ServiceRoute {
        @Override
        public String describe() {
            return "reaching " + service + " through a port-forward to its pod (" + why + ")";
        }
    }

    String service();

    /** The line the tests log. */
    String describe();

    /** True when a request through this route only reaches ready endpoints (the Service's own rules apply). */
    default boolean honoursReadiness() {
        return this instanceof LoadBalancer;
    }

    static Duration lbWait() {
        String s = System.getenv("PROBE_LAB_LB_WAIT_SECONDS");
        return s == null || s.isBlank() ? DEFAULT_LB_WAIT : Duration.ofSeconds(Long.parseLong(s.trim()));
    }

    /** Waits up to {@code wait} for the Service's LoadBalancer address; falls back to a port-forward. */
    static ServiceRoute decide(KubernetesClient client, String namespace, String service, Duration wait) {
        if (wait.isZero() || wait.isNegative()) {
            return new PortForward(service, "PROBE_LAB_LB_WAIT_SECONDS=0: LoadBalancer not used");
        }
        try {
            Duration poll = wait.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofMillis(200) : Duration.ofSeconds(1);
            Service svc = Waits.until("a LoadBalancer address on Service " + service, wait, poll,
                    () -> client.services().inNamespace(namespace).withName(service).get(),
                    s -> s != null && ingress(s).isPresent());
            LoadBalancerIngress in = ingress(svc).orElseThrow();
            String host = in.getIp() != null && !in.getIp().isBlank() ? in.getIp() : in.getHostname();
            return new LoadBalancer(service, host, servicePort(svc).getPort());
        } catch (Waits.TimedOut e) {
            return new PortForward(service, "no LoadBalancer address within " + wait.toSeconds() + "s");
        }
    }

    static Optional<LoadBalancerIngress> ingress(Service svc) {
        if (svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null) {
            return Optional.empty();
        }
        List<LoadBalancerIngress> in = svc.getStatus().getLoadBalancer().getIngress();
        if (in == null) {
            return Optional.empty();
        }
        return in.stream().filter(i -> (i.getIp() != null && !i.getIp().isBlank())
                || (i.getHostname() != null && !i.getHostname().isBlank())).findFirst();
    }

    /** The lab Services have one port (lb-port 80). */
    static ServicePort servicePort(Service svc) {
        List<ServicePort> ports = svc.getSpec().getPorts();
        if (ports == null || ports.isEmpty()) {
            throw new IllegalStateException("Service " + svc.getMetadata().getName() + " has no port");
        }
        return ports.get(0);
    }

    /**
     * The container port a Service port sends to: targetPort as a number, or the container port of
     * that name, or (targetPort unset) the Service port itself, as kube-proxy resolves it.
     */
    static int targetPort(Service svc, Pod pod) {
        ServicePort port = servicePort(svc);
        IntOrString target = port.getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return port.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        String name = target.getStrVal();
        return pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
                .filter(p -> name.equals(p.getName())).map(p -> p.getContainerPort()).findFirst()
                .orElseThrow(() -> new IllegalStateException("pod " + pod.getMetadata().getName()
                        + " has no container port named " + name));
    }
}
