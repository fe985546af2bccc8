package dev.probelab.runner.manifest;

import dev.probelab.lab.ManifestException;
import dev.probelab.lab.PodSpecs;
import dev.probelab.lab.ManifestLoader;
import dev.probelab.lab.ProbeRules;
import dev.probelab.runner.kubelet.ContainerPlan;
import dev.probelab.runner.kubelet.PodPlan;
import dev.probelab.runner.kubelet.ProbeHandler;
import dev.probelab.runner.kubelet.ProbeSettings;
import dev.probelab.runner.kubelet.ProbeType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A lab manifest as the runner runs it: its pods (a Pod, or a Deployment's replicas named as the
 * ReplicaSet controller names them) and its Services. Reading is strict: {@link ManifestLoader}
 * rejects unknown or misplaced fields, {@link ProbeRules} what the API server would reject, and
 * this class what the local runner cannot run; each as one line naming the file and the field.
 */
public record LabManifest(Path file, List<PodPlan> pods, List<ServicePlan> services) {

    /** The kinds the runner runs. */
    public static final List<String> SUPPORTED_KINDS = List.of("Deployment", "Pod", "Service");

    /** Kubernetes' rand.SafeEncodeString alphabet (no vowels, no 0/1/3): pod-template-hash and name suffixes. */
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /**
     * Reads {@code file}; {@code extraEnv} (--env) is added to every container, after its own env.
     *
     * @throws ManifestException one line: "k8s/x.yaml: ...: field: problem"
     */
    public static LabManifest read(Path file, Map<String, String> extraEnv, Random random) {
        if (!Files.isRegularFile(file)) {
            throw new ManifestException(file + ": no such file");
        }
        List<HasMetadata> objects = ManifestLoader.load(file);
        ProbeRules.check(file, objects);
        List<PodPlan> pods = new ArrayList<>();
        List<ServicePlan> services = new ArrayList<>();
        for (HasMetadata object : objects) {
            String what = file + ": " + object.getKind() + " " + object.getMetadata().getName();
            if (object instanceof Deployment deployment) {
                pods.addAll(deploymentPods(what, deployment, extraEnv, random));
            } else if (object instanceof Pod pod) {
                String ns = namespace(object);
                pods.add(podPlan(what, "spec", pod.getMetadata().getName(), ns, labels(pod.getMetadata().getLabels()),
                        pod.getSpec(), extraEnv));
            } else if (object instanceof Service service) {
                services.add(servicePlan(what, service));
            } else {
                throw new ManifestException(what + ": kind " + object.getKind()
                        + " is not supported by the local runner (it runs " + String.join(", ", SUPPORTED_KINDS) + ")");
            }
        }
        if (pods.isEmpty()) {
            throw new ManifestException(file + ": no Deployment or Pod to run");
        }
        for (ServicePlan service : services) {
            targetPortsDeclared(file + ": Service " + service.name(), service, pods);
        }
        return new LabManifest(file, List.copyOf(pods), List.copyOf(services));
    }

    private static List<PodPlan> deploymentPods(String what, Deployment d, Map<String, String> extraEnv, Random random) {
        if (d.getSpec() == null || d.getSpec().getTemplate() == null) {
            throw new ManifestException(what + ": spec.template: required");
        }
        Map<String, String> labels = labels(d.getSpec().getTemplate().getMetadata() == null ? null
                : d.getSpec().getTemplate().getMetadata().getLabels());
        Map<String, String> selector = d.getSpec().getSelector() == null ? Map.of()
                : labels(d.getSpec().getSelector().getMatchLabels());
        if (!PodSpecs.selects(selector, labels)) {
            throw new ManifestException(what + ": spec.selector: `selector` does not match template `labels`");
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if (replicas < 0) {
            throw new ManifestException(what + ": spec.replicas: must be greater than or equal to 0");
        }
        // The ReplicaSet is <deployment>-<pod-template-hash>, its pods <replicaset>-<5 random>.
        String replicaSet = d.getMetadata().getName() + "-" + templateHash(d);
        List<PodPlan> pods = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            String name = replicaSet + "-" + randomSuffix(random);
            pods.add(podPlan(what, "spec.template.spec", name, namespace(d), labels, d.getSpec().getTemplate().getSpec(),
                    extraEnv));
        }
        return pods;
    }

    /** FNV-32a of the template, printed in decimal and safe-encoded, as the Deployment controller does. */
    static String templateHash(Deployment d) {
        byte[] bytes = JSON.asJson(d.getSpec().getTemplate()).getBytes(StandardCharsets.UTF_8);
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        }
        return out.toString();
    }

    private static String randomSuffix(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append(ALPHANUMS.charAt(random.nextInt(ALPHANUMS.length())));
        }
        return s.toString();
    }

    private static PodPlan podPlan(String what, String specPath, String name, String namespace, Map<String, String> labels,
            PodSpec spec, Map<String, String> extraEnv) {
        if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) {
            throw new ManifestException(what + ": " + specPath + ".containers: required");
        }
        if (spec.getInitContainers() != null && !spec.getInitContainers().isEmpty()) {
            throw new ManifestException(what + ": " + specPath + ".initContainers: not supported by the local runner");
        }
        List<ContainerPlan> containers = new ArrayList<>();
        for (int i = 0; i < spec.getContainers().size(); i++) {
            containers.add(containerPlan(what, specPath + ".containers[" + i + "]", spec.getContainers().get(i), extraEnv));
        }
        String restartPolicy = spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy();
        long grace = spec.getTerminationGracePeriodSeconds() == null ? PodSpecs.DEFAULT_GRACE_PERIOD.toSeconds()
                : spec.getTerminationGracePeriodSeconds();
        return new PodPlan(name, namespace, UUID.randomUUID().toString(), labels, restartPolicy, grace,
                List.copyOf(containers));
    }

    private static ContainerPlan containerPlan(String what, String path, Container c, Map<String, String> extraEnv) {
        if (c.getImage() == null || c.getImage().isBlank()) {
            throw new ManifestException(what + ": " + path + ".image: required");
        }
        Map<String, String> env = new LinkedHashMap<>();
        List<EnvVar> vars = c.getEnv() == null ? List.of() : c.getEnv();
        for (int i = 0; i < vars.size(); i++) {
            EnvVar v = vars.get(i);
            if (v.getValueFrom() != null) {
                throw new ManifestException(what + ": " + path + ".env[" + i + "].valueFrom: not supported by the local runner");
            }
            env.put(v.getName(), v.getValue() == null ? "" : v.getValue());
        }
        env.putAll(extraEnv);
        List<ContainerPort> tcp = (c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()).stream()
                .filter(p -> p.getProtocol() == null || p.getProtocol().equals("TCP")).toList();
        List<Integer> ports = tcp.stream().map(ContainerPort::getContainerPort).toList();
        Map<ProbeType, ProbeSettings> probes = new EnumMap<>(ProbeType.class);
        probe(what, path + ".livenessProbe", c.getLivenessProbe(), tcp, ports).ifPresent(p -> probes.put(ProbeType.LIVENESS, p));
        probe(what, path + ".readinessProbe", c.getReadinessProbe(), tcp, ports).ifPresent(p -> probes.put(ProbeType.READINESS, p));
        probe(what, path + ".startupProbe", c.getStartupProbe(), tcp, ports).ifPresent(p -> probes.put(ProbeType.STARTUP, p));
        return new ContainerPlan(c.getName(), c.getImage(), list(c.getCommand()), list(c.getArgs()), env,
                List.copyOf(ports), probes);
    }

    private static java.util.Optional<ProbeSettings> probe(String what, String path, Probe p, List<ContainerPort> namedPorts,
            List<Integer> declared) {
        if (p == null) {
            return java.util.Optional.empty();
        }
        ProbeHandler handler;
        if (p.getHttpGet() != null) {
            HTTPGetAction get = p.getHttpGet();
            List<ProbeHandler.Header> headers = get.getHttpHeaders() == null ? List.of()
                    : get.getHttpHeaders().stream().map(h -> new ProbeHandler.Header(h.getName(), h.getValue())).toList();
            int port = port(what, path + ".httpGet.port", get.getPort(), namedPorts);
            declared(what, path + ".httpGet.port", get.getHost(), port, declared);
            handler = new ProbeHandler.HttpGet(get.getScheme() == null ? "HTTP" : get.getScheme(), get.getHost(),
                    port, get.getPath(), headers);
        } else if (p.getTcpSocket() != null) {
            int port = port(what, path + ".tcpSocket.port", p.getTcpSocket().getPort(), namedPorts);
            declared(what, path + ".tcpSocket.port", p.getTcpSocket().getHost(), port, declared);
            handler = new ProbeHandler.TcpSocket(p.getTcpSocket().getHost(), port);
        } else if (p.getExec() != null) {
            List<String> command = list(p.getExec().getCommand());
            if (command.isEmpty()) {
                throw new ManifestException(what + ": " + path + ".exec.command: required");
            }
            handler = new ProbeHandler.Exec(command);
        } else {
            throw new ManifestException(what + ": " + path + ".grpc: not supported by the local runner");
        }
        return java.util.Optional.of(ProbeSettings.withDefaults(handler, p.getInitialDelaySeconds(), p.getPeriodSeconds(),
                p.getTimeoutSeconds(), p.getSuccessThreshold(), p.getFailureThreshold(), p.getTerminationGracePeriodSeconds()));
    }

    /**
     * A probe on the pod's address must reach a declared containerPort: the runtimes map only those
     * (a local app's PORT, Docker's published ports), anything else would be the host's own port.
     */
    private static void declared(String what, String path, String host, int port, List<Integer> declared) {
        if ((host == null || host.isEmpty()) && !declared.contains(port)) {
            throw new ManifestException(what + ": " + path + ": port " + port
                    + " is not a containerPort of the container: the local runner reaches declared ports only");
        }
    }

    /** A port number, or a containerPort name (PodSpecs.port). */
    private static int port(String what, String path, IntOrString port, List<ContainerPort> declared) {
        return PodSpecs.port(port, declared).orElseThrow(() -> new ManifestException(what + ": " + path
                + ": no containerPort named \"" + (port == null ? "" : port.getStrVal()) + "\""));
    }

    /** A Service's targetPort must be a declared containerPort of every pod it selects (see {@link #declared}). */
    private static void targetPortsDeclared(String what, ServicePlan service, List<PodPlan> pods) {
        for (int i = 0; i < service.ports().size(); i++) {
            int target = service.ports().get(i).targetPort();
            for (PodPlan pod : pods) {
                if (service.selects(pod.labels())
                        && pod.containers().stream().noneMatch(c -> c.containerPorts().contains(target))) {
                    throw new ManifestException(what + ": spec.ports[" + i + "].targetPort: port " + target
                            + " is not a containerPort of the pods it selects: the local runner reaches declared ports only");
                }
            }
        }
    }

    private static ServicePlan servicePlan(String what, Service s) {
        if (s.getSpec() == null || s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()) {
            throw new ManifestException(what + ": spec.ports: required");
        }
        List<ServicePlan.Port> ports = new ArrayList<>();
        for (int i = 0; i < s.getSpec().getPorts().size(); i++) {
            ServicePort p = s.getSpec().getPorts().get(i);
            if (p.getProtocol() != null && !p.getProtocol().equals("TCP")) {
                throw new ManifestException(what + ": spec.ports[" + i + "].protocol: only TCP is supported by the local runner");
            }
            IntOrString target = p.getTargetPort();
            if (target != null && target.getIntVal() == null) {
                throw new ManifestException(what + ": spec.ports[" + i + "].targetPort: a port name is not supported by the local runner, use the number");
            }
            ports.add(new ServicePlan.Port(p.getName(), p.getPort(), target == null ? p.getPort() : target.getIntVal()));
        }
        return new ServicePlan(s.getMetadata().getName(), labels(s.getSpec().getSelector()), List.copyOf(ports));
    }

    private static String namespace(HasMetadata o) {
        return o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace();
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : Map.copyOf(labels);
    }

    private static List<String> list(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }
}
