package dev.probelab.lab;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What Kubernetes itself decides about a pod spec, written once for the manifest tests, the local
 * runner and the cluster tests: which pods a selector takes, which port a probe or Service names, and
 * the API's defaults.
 */
public final class PodSpecs {

    /** terminationGracePeriodSeconds when a pod does not set it (pkg/apis/core/v1/defaults.go: 30 s). */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);

    private PodSpecs() {
    }

    /**
     * Whether a matchLabels selector takes a pod with {@code labels}: every pair of the selector is among
     * the labels (labels.SelectorFromSet). An empty selector takes nothing here: a lab Service or
     * Deployment without one is a mistake.
     */
    public static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    /**
     * The port number a probe's or a Service's port stands for: the number itself, or the container port
     * of that name, or a number written as a string (the kubelet's findPortByName, then strconv.Atoi);
     * empty when it names no declared port.
     */
    public static OptionalInt port(IntOrString port, List<ContainerPort> declared) {
        if (port == null) {
            return OptionalInt.empty();
        }
        if (port.getIntVal() != null) {
            return OptionalInt.of(port.getIntVal());
        }
        String name = port.getStrVal() == null ? "" : port.getStrVal();
        for (ContainerPort p : declared == null ? List.<ContainerPort>of() : declared) {
            if (name.equals(p.getName())) {
                return OptionalInt.of(p.getContainerPort());
            }
        }
        try {
            return OptionalInt.of(Integer.parseInt(name));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
