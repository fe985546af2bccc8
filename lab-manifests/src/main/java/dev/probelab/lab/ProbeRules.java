package dev.probelab.lab;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The API server's validation rules for probes (pkg/apis/core/validation, ValidateProbe and friends)
 * that a well-formed but wrong manifest can still break; {@link ManifestLoader} has already checked
 * the shape. Each rule here is one the API server would reject the object for.
 */
public final class ProbeRules {

    private ProbeRules() {
    }

    /** One probe of one container, and where it sits, for messages. */
    public record ProbeSite(String object, String container, String field, Probe probe) {

        /** livenessProbe, readinessProbe or startupProbe. */
        public String kind() {
            return field;
        }

        @Override
        public String toString() {
            return object + " container " + container + " " + field;
        }
    }

    /**
     * Checks every probe in {@code objects} (read from {@code file}).
     *
     * @throws ManifestException one line naming the file, object, container and probe, for the first
     *                           broken rule: a probe must have exactly one handler (exec, httpGet,
     *                           tcpSocket or grpc); liveness and startup probes need successThreshold 1;
     *                           readiness probes must not set terminationGracePeriodSeconds; the numbers
     *                           must not be negative (terminationGracePeriodSeconds must be positive);
     *                           a port given as a number must be 1 to 65535; an init container
     *                           has no probes unless it is a sidecar (restartPolicy: Always)
     */
    public static void check(Path file, List<HasMetadata> objects) {
        for (HasMetadata object : objects) {
            for (Container init : podSpec(object).map(PodSpec::getInitContainers).orElse(List.of())) {
                boolean sidecar = "Always".equals(init.getRestartPolicy());
                if (!sidecar && (init.getLivenessProbe() != null || init.getReadinessProbe() != null
                        || init.getStartupProbe() != null)) {
                    throw new ManifestException(file + ": " + object.getKind() + " " + object.getMetadata().getName()
                            + " init container " + init.getName() + ": only a sidecar (restartPolicy: Always) may have probes");
                }
            }
        }
        for (ProbeSite site : probes(objects)) {
            String problem = problem(site);
            if (problem != null) {
                throw new ManifestException(file + ": " + site + ": " + problem);
            }
        }
    }

    /** Every probe of every container (and init container) of every object that holds a pod spec. */
    public static List<ProbeSite> probes(List<HasMetadata> objects) {
        List<ProbeSite> sites = new ArrayList<>();
        for (HasMetadata object : objects) {
            Optional<PodSpec> spec = podSpec(object);
            if (spec.isEmpty()) {
                continue;
            }
            String name = object.getKind() + " " + object.getMetadata().getName();
            Stream.concat(spec.get().getInitContainers().stream(), spec.get().getContainers().stream())
                    .forEach(c -> probes(c).forEach((field, probe) -> sites.add(new ProbeSite(name, c.getName(), field, probe))));
        }
        return sites;
    }

    /** The pod spec of a Pod, or of the pod template of a Deployment, ReplicaSet, StatefulSet or DaemonSet. */
    public static Optional<PodSpec> podSpec(HasMetadata object) {
        if (object instanceof Pod pod) {
            return Optional.ofNullable(pod.getSpec());
        }
        return template(object).map(PodTemplateSpec::getSpec);
    }

    /** The pod template of a Deployment, ReplicaSet, StatefulSet or DaemonSet. */
    public static Optional<PodTemplateSpec> template(HasMetadata object) {
        Map<Class<?>, Function<HasMetadata, PodTemplateSpec>> templates = Map.of(
                Deployment.class, o -> ((Deployment) o).getSpec() == null ? null : ((Deployment) o).getSpec().getTemplate(),
                ReplicaSet.class, o -> ((ReplicaSet) o).getSpec() == null ? null : ((ReplicaSet) o).getSpec().getTemplate(),
                StatefulSet.class, o -> ((StatefulSet) o).getSpec() == null ? null : ((StatefulSet) o).getSpec().getTemplate(),
                DaemonSet.class, o -> ((DaemonSet) o).getSpec() == null ? null : ((DaemonSet) o).getSpec().getTemplate());
        Function<HasMetadata, PodTemplateSpec> get = templates.get(object.getClass());
        return get == null ? Optional.empty() : Optional.ofNullable(get.apply(object));
    }

    /** The probes a container sets, by field name (livenessProbe, readinessProbe, startupProbe), in that order. */
    public static Map<String, Probe> probes(Container c) {
        Map<String, Probe> probes = new java.util.LinkedHashMap<>();
        if (c.getLivenessProbe() != null) {
            probes.put("livenessProbe", c.getLivenessProbe());
        }
        if (c.getReadinessProbe() != null) {
            probes.put("readinessProbe", c.getReadinessProbe());
        }
        if (c.getStartupProbe() != null) {
            probes.put("startupProbe", c.getStartupProbe());
        }
        return probes;
    }

    private static String problem(ProbeSite site) {
        Probe p = site.probe();
        List<String> handlers = new ArrayList<>();
        if (p.getExec() != null) {
            handlers.add("exec");
        }
        if (p.getHttpGet() != null) {
            handlers.add("httpGet");
        }
        if (p.getTcpSocket() != null) {
            handlers.add("tcpSocket");
        }
        if (p.getGrpc() != null) {
            handlers.add("grpc");
        }
        if (handlers.size() != 1) {
            return "must have exactly one handler (exec, httpGet, tcpSocket or grpc), has "
                    + (handlers.isEmpty() ? "none" : String.join(" and ", handlers));
        }
        boolean readiness = site.field().equals("readinessProbe");
        if (!readiness && p.getSuccessThreshold() != null && p.getSuccessThreshold() != 1) {
            return "successThreshold must be 1 for a " + site.field() + ", is " + p.getSuccessThreshold();
        }
        if (readiness && p.getTerminationGracePeriodSeconds() != null) {
            return "terminationGracePeriodSeconds must not be set on a readinessProbe";
        }
        for (Map.Entry<String, Number> n : numbers(p).entrySet()) {
            if (n.getValue() != null && n.getValue().longValue() < 0) {
                return n.getKey() + " must not be negative, is " + n.getValue();
            }
        }
        if (p.getTerminationGracePeriodSeconds() != null && p.getTerminationGracePeriodSeconds() <= 0) {
            return "terminationGracePeriodSeconds must be positive, is " + p.getTerminationGracePeriodSeconds();
        }
        IntOrString port = p.getHttpGet() != null ? p.getHttpGet().getPort()
                : p.getTcpSocket() != null ? p.getTcpSocket().getPort() : null;
        if ((p.getHttpGet() != null || p.getTcpSocket() != null) && port == null) {
            return handlers.get(0) + ".port must be set";
        }
        if (port != null && port.getIntVal() != null && (port.getIntVal() < 1 || port.getIntVal() > 65535)) {
            return handlers.get(0) + ".port must be from 1 to 65535, is " + port.getIntVal();
        }
        if (p.getGrpc() != null && (p.getGrpc().getPort() == null || p.getGrpc().getPort() < 1 || p.getGrpc().getPort() > 65535)) {
            return "grpc.port must be from 1 to 65535, is " + p.getGrpc().getPort();
        }
        return null;
    }

    private static Map<String, Number> numbers(Probe p) {
        Map<String, Number> numbers = new java.util.LinkedHashMap<>();
        numbers.put("initialDelaySeconds", p.getInitialDelaySeconds());
        numbers.put("periodSeconds", p.getPeriodSeconds());
        numbers.put("timeoutSeconds", p.getTimeoutSeconds());
        numbers.put("successThreshold", p.getSuccessThreshold());
        numbers.put("failureThreshold", p.getFailureThreshold());
        return numbers;
    }
}
