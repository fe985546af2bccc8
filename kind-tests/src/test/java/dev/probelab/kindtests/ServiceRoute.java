package dev.probelab.kindtests;

import dev.probelab.lab.PodSpecs;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the tests reach a lab Service (nodeapp-lb, type LoadBalancer, port 80 -> 8080).
 *
 * <ul>
 *   <li>{@link LoadBalancer}: the address the cluster's LoadBalancer support (cloud-provider-kind or
 *       MetalLB on kind) put in {@code status.loadBalancer.ingress}. This is the course's path (curl to
 *       the LB IP): the request goes through kube-proxy's Service rules, so only ready endpoints get it.</li>
 *   <li>{@link NodePort}: the Service's node port on 127.0.0.1, for a cluster on this machine with no
 *       LoadBalancer support (k8s/offline-cluster). kube-proxy's rules again: ready endpoints only.</li>
 *   <li>{@link PortForward}: no address came. A port-forward goes to ONE POD's port through the kubelet,
 *       bypassing the Service and readiness entirely: a not-ready pod still answers. Through it we check
 *       what the app answers, never "the Service answers nothing"; that claim is then checked on the
 *       EndpointSlice only.</li>
 * </ul>
 * Which one is chosen is {@link Policy}'s, read from the environment.
 */
public sealed interface ServiceRoute {

    /** How long to wait for a LoadBalancer address (PROBE_LAB_LB_WAIT_SECONDS overrides it). */
    Duration DEFAULT_LB_WAIT = Duration.ofSeconds(30);
    /** Where a node port is reached: this machine (k8s/offline-cluster keeps node ports on 127.0.0.1). */
    String NODE_PORT_HOST = "127.0.0.1";

    record LoadBalancer(String service, String host, int port) implements ServiceRoute {
        @Override
        public String describe() {
            return "reaching " + service + " through LoadBalancer IP " + host + (port == 80 ? "" : " port " + port);
        }
    }

    record NodePort(String service, String host, int port) implements ServiceRoute {
        @Override
        public String describe() {
            return "reaching " + service + " through its NodePort " + host + ":" + port + " (no LoadBalancer on this cluster)";
        }
    }

    record PortForward(String service, String why) implements ServiceRoute {
        @Override
        public String describe() {
            return "reaching " + service + " through a port-forward to its pod (" + why + ")";
        }
    }

    /** Which route to take ({@code PROBE_LAB_SERVICE_ROUTE}). */
    enum Mode {
        /** The LoadBalancer address if one comes and answers within the wait, else a port-forward (logged as a warning). */
        AUTO,
        /** The LoadBalancer address, or the step fails: no fallback (k8s/kind/e2e.sh sets this). */
        LOADBALANCER,
        /** The Service's node port on 127.0.0.1 (.ci/run sets this for k8s/offline-cluster). */
        NODEPORT
    }

    /**
     * The route choice: {@code PROBE_LAB_SERVICE_ROUTE} = auto (default), loadbalancer or nodeport, and
     * {@code PROBE_LAB_LB_WAIT_SECONDS} (default 30; 0 in auto mode: port-forward at once).
     */
    record Policy(Mode mode, Duration lbWait) {

        public static Policy fromEnvironment() {
            return from(System.getenv());
        }

        static Policy from(Map<String, String> env) {
            String route = env.getOrDefault("PROBE_LAB_SERVICE_ROUTE", "").trim();
            Mode mode;
            try {
                mode = route.isEmpty() ? Mode.AUTO : Mode.valueOf(route.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PROBE_LAB_SERVICE_ROUTE=" + route
                        + " is not one of auto, loadbalancer, nodeport");
            }
            String wait = env.getOrDefault("PROBE_LAB_LB_WAIT_SECONDS", "").trim();
            try {
                return new Policy(mode, wait.isEmpty() ? DEFAULT_LB_WAIT : Duration.ofSeconds(Long.parseLong(wait)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PROBE_LAB_LB_WAIT_SECONDS=" + wait + " is not a whole number of seconds");
            }
        }
    }

    /** Raised in {@link Mode#LOADBALANCER} when the LoadBalancer cannot be used. */
    final class LoadBalancerMissing extends AssertionError {
        LoadBalancerMissing(String why) {
            super("PROBE_LAB_SERVICE_ROUTE=loadbalancer, but " + why);
        }
    }

    String service();

    /** The line the tests log. */
    String describe();

    /** True when a request through this route only reaches ready endpoints (the Service's own rules apply). */
    default boolean honoursReadiness() {
        return !(this instanceof PortForward);
    }

    /** Whether an address answers from this machine; {@link #answers} in real use. */
    @FunctionalInterface
    interface Reachability {
        boolean answers(String host, int port, Duration within);
    }

    /** Chooses the route to {@code service} by {@code policy}. */
    static ServiceRoute decide(KubernetesClient client, String namespace, String service, Policy policy) {
        return decide(client, namespace, service, policy, ServiceRoute::answers);
    }

    static ServiceRoute decide(KubernetesClient client, String namespace, String service, Policy policy, Reachability reachability) {
        if (policy.mode() == Mode.NODEPORT) {
            Service svc = client.services().inNamespace(namespace).withName(service).get();
            Integer nodePort = svc == null ? null : servicePort(svc).getNodePort();
            if (nodePort == null) {
                throw new IllegalStateException("Service " + service + " has no node port: PROBE_LAB_SERVICE_ROUTE=nodeport "
                        + "needs a NodePort or LoadBalancer Service");
            }
            return new NodePort(service, NODE_PORT_HOST, nodePort);
        }
        Duration wait = policy.lbWait();
        if (policy.mode() == Mode.AUTO && (wait.isZero() || wait.isNegative())) {
            return new PortForward(service, "PROBE_LAB_LB_WAIT_SECONDS=0: LoadBalancer not used");
        }
        Instant deadline = Instant.now().plus(wait);
        String why;
        try {
            Duration poll = wait.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofMillis(200) : Duration.ofSeconds(1);
            Service svc = Waits.until("a LoadBalancer address on Service " + service, wait, poll,
                    () -> client.services().inNamespace(namespace).withName(service).get(),
                    s -> s != null && ingress(s).isPresent());
            LoadBalancerIngress in = ingress(svc).orElseThrow();
            LoadBalancer lb = new LoadBalancer(service, in.getIp() != null && !in.getIp().isBlank() ? in.getIp() : in.getHostname(),
                    servicePort(svc).getPort());
            Duration left = Duration.between(Instant.now(), deadline);
            if (reachability.answers(lb.host(), lb.port(), left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left)) {
                return lb;
            }
            why = "LoadBalancer address " + lb.host() + " does not answer a TCP connect from here within " + wait.toSeconds() + "s";
        } catch (Waits.TimedOut e) {
            why = "no LoadBalancer address within " + wait.toSeconds() + "s";
        }
        if (policy.mode() == Mode.LOADBALANCER) {
            throw new LoadBalancerMissing(why);
        }
        return new PortForward(service, why);
    }

    /**
     * Whether {@code host:port} answers a TCP connect within {@code within}: accepted, or actively refused
     * (a LoadBalancer with no ready endpoint may refuse; the address is still there). Only silence
     * (a time-out, no route) means the address cannot be reached from this machine, as a kind node's
     * Docker network cannot be on macOS.
     */
    static boolean answers(String host, int port, Duration within) {
        Instant deadline = Instant.now().plus(within);
        do {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return true;
            } catch (ConnectException refused) {
                if (String.valueOf(refused.getMessage()).contains("refused")) {
                    return true;
                }
            } catch (IOException silent) {
                // timed out or unreachable: try again until the deadline
            }
        } while (Instant.now().isBefore(deadline));
        return false;
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
     * that name (PodSpecs.port), or (targetPort unset) the Service port itself, as kube-proxy resolves it.
     */
    static int targetPort(Service svc, Pod pod) {
        ServicePort port = servicePort(svc);
        IntOrString target = port.getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return port.getPort();
        }
        List<io.fabric8.kubernetes.api.model.ContainerPort> declared = pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream()).toList();
        return PodSpecs.port(target, declared).orElseThrow(() -> new IllegalStateException("pod " + pod.getMetadata().getName()
                + " has no container port named " + target.getStrVal()));
    }
}
