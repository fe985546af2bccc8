package dev.probelab.runner.manifest;

import dev.probelab.lab.PodSpecs;
import java.util.List;
import java.util.Map;

/** A Service: which pods (selector) and which ports. */
public record ServicePlan(String name, Map<String, String> selector, List<Port> ports) {

    /** One service port and the container port it forwards to. */
    public record Port(String name, int port, int targetPort) {
    }

    public boolean selects(Map<String, String> labels) {
        return PodSpecs.selects(selector, labels);
    }
}
