package dev.probelab.kindtests;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Service's endpoints as its EndpointSlices list them. A pod whose readiness fails stays listed with
 * {@code conditions.ready=false}, and kube-proxy (and so a LoadBalancer in front of it) sends it nothing;
 * this is the fact behind "the Service has no ready endpoint".
 *
 * <p>Read as {@code discovery.k8s.io/v1} (Kubernetes 1.21 and later) or, where the API server answers
 * 404 to that, as {@code v1beta1}, the only version Kubernetes 1.20 serves; both carry the same
 * endpoint conditions.
 */
public record EndpointState(int ready, int notReady) {

    /** The label the endpoint-slice controller puts on a Service's slices, in both API versions. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** One endpoint's conditions, whatever the API version. */
    record Conditions(Boolean ready, Boolean terminating) {
    }

    public static EndpointState of(KubernetesClient client, String namespace, String service) {
        try {
            return of(client.discovery().v1().endpointSlices().inNamespace(namespace)
                    .withLabel(SERVICE_NAME_LABEL, service).list().getItems());
        } catch (KubernetesClientException notServed) {
            if (notServed.getCode() != 404) {
                throw notServed;
            }
            return count(client.discovery().v1beta1().endpointSlices().inNamespace(namespace)
                    .withLabel(SERVICE_NAME_LABEL, service).list().getItems().stream()
                    .flatMap(s -> s.getEndpoints() == null ? Stream.empty() : s.getEndpoints().stream())
                    .map(e -> e.getConditions() == null ? new Conditions(null, null)
                            : new Conditions(e.getConditions().getReady(), e.getConditions().getTerminating())));
        }
    }

    static EndpointState of(List<EndpointSlice> slices) {
        return count(slices.stream()
                .flatMap(s -> s.getEndpoints() == null ? Stream.empty() : s.getEndpoints().stream())
                .map(e -> e.getConditions() == null ? new Conditions(null, null)
                        : new Conditions(e.getConditions().getReady(), e.getConditions().getTerminating())));
    }

    private static EndpointState count(Stream<Conditions> endpoints) {
        int ready = 0;
        int notReady = 0;
        for (Conditions c : (Iterable<Conditions>) endpoints::iterator) {
            if (isReady(c)) {
                ready++;
            } else {
                notReady++;
            }
        }
        return new EndpointState(ready, notReady);
    }

    /** The API: "ready ... a nil value should be interpreted as true"; a terminating endpoint gets no new traffic. */
    static boolean isReady(Conditions c) {
        return !Boolean.FALSE.equals(c.ready()) && !Boolean.TRUE.equals(c.terminating());
    }

    @Override
    public String toString() {
        return ready + " ready, " + notReady + " not ready";
    }
}
