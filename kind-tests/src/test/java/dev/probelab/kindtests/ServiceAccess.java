package dev.probelab.kindtests;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An open path to a lab Service along a {@link ServiceRoute}: GET anything on it, every outcome an {@link Answer}. */
public final class ServiceAccess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccess.class);

    private final ServiceRoute route;
    private final URI base;
    private final LocalPortForward portForward;

    ServiceAccess(ServiceRoute route, URI base, LocalPortForward portForward) {
        this.route = route;
        this.base = base;
        this.portForward = portForward;
    }

    /**
     * Opens the route: the LoadBalancer address or node port as it is, or a port-forward from a local port to
     * {@code pod}'s container port behind the Service (the port-forward lives as long as the pod, so it
     * survives container restarts).
     */
    public static ServiceAccess open(KubernetesClient client, String namespace, ServiceRoute route, Pod pod) {
        if (route instanceof ServiceRoute.LoadBalancer lb) {
            return direct(route, lb.host(), lb.port());
        }
        if (route instanceof ServiceRoute.NodePort np) {
            return direct(route, np.host(), np.port());
        }
        Service svc = client.services().inNamespace(namespace).withName(route.service()).get();
        int port = ServiceRoute.targetPort(svc, pod);
        String podName = pod.getMetadata().getName();
        LocalPortForward pf = client.pods().inNamespace(namespace).withName(podName).portForward(port);
        LOG.info("{}: pod {} port {} on 127.0.0.1:{}; a port-forward bypasses the Service's readiness rules",
                route.describe(), podName, port, pf.getLocalPort());
        return new ServiceAccess(route, URI.create("http://127.0.0.1:" + pf.getLocalPort()), pf);
    }

    private static ServiceAccess direct(ServiceRoute route, String host, int port) {
        LOG.info("{}", route.describe());
        return new ServiceAccess(route, URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port), null);
    }

    public ServiceRoute route() {
        return route;
    }

    public URI base() {
        return base;
    }

    public Answer get(String path) {
        return get(path, Map.of());
    }

    public Answer get(String path, Map<String, String> headers) {
        return get(base.resolve(path), headers);
    }

    @Override
    public void close() {
        if (portForward != null) {
            try {
                portForward.close();
            } catch (IOException e) {
                LOG.warn("closing the port-forward: {}", e.toString());
            }
        }
    }

    /** Loopback or a LoadBalancer IP on the runner's Docker network: a live path connects in milliseconds. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Our apps answer in milliseconds; 3 s is the kubelet's probe timeout (1 s) with room for a busy node. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * One GET with short, fixed timeouts that never throws: every outcome is an {@link Answer}. A Service with
     * no ready endpoint shows as refused (kube-proxy rejects), closed (an L4 proxy such as cloud-provider-kind's
     * accepts, then finds no backend) or timed out (packets dropped): all "no answer".
     */
    static Answer get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer.Response(response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            return new Answer.NoAnswer("connect timed out after " + CONNECT_TIMEOUT.toSeconds() + "s");
        } catch (HttpTimeoutException e) {
            return new Answer.NoAnswer("no response within " + REQUEST_TIMEOUT.toSeconds() + "s");
        } catch (ConnectException e) {
            return new Answer.NoAnswer("connection refused");
        } catch (IOException e) {
            return new Answer.NoAnswer("connection closed without a response: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.NoAnswer("interrupted");
        }
    }
}
