package dev.probelab.kindtests;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * A Service's endpoints as its EndpointSlices list them. A pod whose readiness fails stays listed with
 * {@code conditions.ready=false}, and kube-proxy (and so a LoadBalancer in front of it) sends it nothing;
 * this is the fact behind "the Service has no ready endpoint".
 */
public record EndpointState(int ready, int notReady) {

    public static EndpointState of(KubernetesClient client, String namespace, String service) {
        return of(client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", service).list().getItems());
    }

    static EndpointState of(List<EndpointSlice> slices) {
        int ready = 0;
        int notReady = 0;
        for (EndpointSlice slice : slices) {
            if (slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint e : slice.getEndpoints()) {
                if (isReady(e.getConditions())) {
                    ready++;
                } else {
                    notReady++;
                }
            }
        }
        return new EndpointState(ready, notReady);
    }

    /** The API: "ready ... a nil value should be interpreted as true"; a terminating endpoint gets no new traffic. */
    static boolean isReady(EndpointConditions c) {
        if (c == null) {
            return true;
        }
        return !Boolean.FALSE.equals(c.getReady()) && !Boolean.TRUE.equals(c.getTerminating());
    }

    @Override
    public String toString() {
        return ready + " ready, " + notReady + " not ready";
    }
}
