package dev.probelab.lab;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rules every manifest in k8s/ follows beyond what the API server checks (that part is
 * {@link ManifestLoader} and {@link ProbeRules}). Each rule returns its violations, one line each;
 * ConventionTest wants none for k8s/ and some for each bad fixture.
 */
enum Convention {

    /** Every image is one our build produces (probe-lab/<app>:<version>) or the multi-arch busybox. */
    OUR_IMAGES {
        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            Set<String> ours = Set.copyOf(AppFacts.apps().stream().map(AppFacts::image).toList());
            return containers(objects).filter(c -> !ours.contains(c.container.getImage())
                            && !AppFacts.BUSYBOX.equals(c.container.getImage()))
                    .map(c -> c + ": image " + c.container.getImage() + " is neither one of " + ours
                            + " nor " + AppFacts.BUSYBOX)
                    .toList();
        }
    },

    /** Images are loaded into the cluster (kind load, minikube image load), never pulled: IfNotPresent. */
    PULL_IF_NOT_PRESENT {
        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            return containers(objects).filter(c -> !"IfNotPresent".equals(c.container.getImagePullPolicy()))
                    .map(c -> c + ": imagePullPolicy is " + c.container.getImagePullPolicy() + ", not IfNotPresent")
                    .toList();
        }
    },

    /** Probes ask for what the app serves: an httpGet path it routes, on the port it listens on. */
    PROBES_HIT_THE_APP {
        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            Set<String> routes = AppFacts.routes();
            int port = AppFacts.port();
            List<String> out = new ArrayList<>();
            containers(objects).filter(c -> !AppFacts.BUSYBOX.equals(c.container.getImage())).forEach(c -> {
                if (c.container.getEnv().stream().anyMatch(e -> e.getName().equals("PORT"))) {
                    out.add(c + ": sets PORT; the app must listen on its default " + port);
                }
                if (c.container.getPorts().stream().noneMatch(p -> Objects.equals(p.getContainerPort(), port))) {
                    out.add(c + ": does not declare containerPort " + port);
                }
                ProbeRules.probes(c.container).forEach((kind, probe) -> {
                    if (probe.getHttpGet() != null) {
                        var get = probe.getHttpGet();
                        if (!routes.contains(get.getPath())) {
                            out.add(c + " " + kind + ": httpGet path " + get.getPath() + " is not one the app serves " + routes);
                        }
                        if (resolve(get.getPort(), c.container) != port) {
                            out.add(c + " " + kind + ": httpGet port " + get.getPort().getValue() + " is not the app's port " + port);
                        }
                        if (get.getScheme() != null && !get.getScheme().equals("HTTP")) {
                            out.add(c + " " + kind + ": httpGet scheme " + get.getScheme() + "; the app speaks plain HTTP");
                        }
                    }
                    if (probe.getTcpSocket() != null && resolve(probe.getTcpSocket().getPort(), c.container) != port) {
                        out.add(c + " " + kind + ": tcpSocket port " + probe.getTcpSocket().getPort().getValue()
                                + " is not the app's port " + port);
                    }
                });
            });
            return out;
        }
    },

    /** Pod Security Standard "restricted", plus a read-only root filesystem with /tmp on an emptyDir. */
    RESTRICTED_SECURITY_CONTEXT {
        private static final Set<String> RESTRICTED_VOLUMES = Set.of(
                "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");

        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            List<String> out = new ArrayList<>();
            for (HasMetadata object : objects) {
                Optional<PodSpec> maybeSpec = ProbeRules.podSpec(object);
                if (maybeSpec.isEmpty()) {
                    continue;
                }
                PodSpec spec = maybeSpec.get();
                String name = object.getKind() + " " + object.getMetadata().getName();
                PodSecurityContext pod = Optional.ofNullable(spec.getSecurityContext()).orElseGet(PodSecurityContext::new);
                if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
                        || Boolean.TRUE.equals(spec.getHostIPC())) {
                    out.add(name + ": uses a host namespace (hostNetwork, hostPID or hostIPC)");
                }
                if (Long.valueOf(0).equals(pod.getRunAsUser())) {
                    out.add(name + ": pod securityContext.runAsUser is 0");
                }
                if (Boolean.FALSE.equals(pod.getRunAsNonRoot())) {
                    out.add(name + ": pod securityContext.runAsNonRoot is false");
                }
                if (pod.getSeccompProfile() != null && !allowedSeccomp(pod.getSeccompProfile())) {
                    out.add(name + ": pod seccompProfile is " + pod.getSeccompProfile().getType());
                }
                for (Volume v : spec.getVolumes()) {
                    String type = volumeType(v);
                    if (!RESTRICTED_VOLUMES.contains(type)) {
                        out.add(name + ": volume " + v.getName() + " is of type " + type + ", not allowed by \"restricted\"");
                    }
                }
                Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream())
                        .forEach(c -> container(out, name + " container " + c.getName(), pod, spec, c));
            }
            return out;
        }

        private void container(List<String> out, String where, PodSecurityContext pod, PodSpec spec, Container c) {
            SecurityContext sc = c.getSecurityContext();
            if (sc == null) {
                out.add(where + ": no securityContext");
                return;
            }
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                out.add(where + ": allowPrivilegeEscalation must be false");
            }
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                out.add(where + ": privileged");
            }
            Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : pod.getRunAsNonRoot();
            if (!Boolean.TRUE.equals(nonRoot)) {
                out.add(where + ": runAsNonRoot must be true (on the pod or the container)");
            }
            Long user = sc.getRunAsUser() != null ? sc.getRunAsUser() : pod.getRunAsUser();
            if (user == null || user == 0) {
                out.add(where + ": runAsUser must be a non-zero user id (busybox's image would run as root)");
            }
            SeccompProfile seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : pod.getSeccompProfile();
            if (seccomp == null || !allowedSeccomp(seccomp)) {
                out.add(where + ": seccompProfile must be RuntimeDefault or Localhost (on the pod or the container)");
            }
            Capabilities caps = sc.getCapabilities();
            if (caps == null || !caps.getDrop().contains("ALL")) {
                out.add(where + ": capabilities must drop ALL");
            }
            if (caps != null && caps.getAdd().stream().anyMatch(a -> !a.equals("NET_BIND_SERVICE"))) {
                out.add(where + ": capabilities may add only NET_BIND_SERVICE, adds " + caps.getAdd());
            }
            if (c.getPorts().stream().map(ContainerPort::getHostPort).anyMatch(p -> p != null && p != 0)) {
                out.add(where + ": uses a hostPort");
            }
            if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                out.add(where + ": readOnlyRootFilesystem must be true");
            } else {
                Optional<VolumeMount> tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst();
                boolean emptyDir = tmp.isPresent() && spec.getVolumes().stream()
                        .anyMatch(v -> v.getName().equals(tmp.get().getName()) && v.getEmptyDir() != null);
                if (!emptyDir) {
                    out.add(where + ": a read-only root filesystem needs an emptyDir mounted on /tmp");
                }
            }
        }

        private boolean allowedSeccomp(SeccompProfile p) {
            return "RuntimeDefault".equals(p.getType()) || "Localhost".equals(p.getType());
        }
    },

    /** Requests and limits for cpu and memory; the apps' memory limit is at least twice their measured RSS. */
    RESOURCES {
        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            List<String> out = new ArrayList<>();
            BigDecimal minAppLimit = BigDecimal.valueOf(2 * AppFacts.MEASURED_PEAK_RSS_MIB * 1024 * 1024);
            containers(objects).forEach(c -> {
                ResourceRequirements r = Optional.ofNullable(c.container.getResources()).orElseGet(ResourceRequirements::new);
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = r.getRequests().get(resource);
                    Quantity limit = r.getLimits().get(resource);
                    if (request == null || limit == null) {
                        out.add(c + ": needs both a request and a limit for " + resource);
                    } else if (request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
                        out.add(c + ": " + resource + " request " + request + " exceeds its limit " + limit);
                    }
                }
                Quantity memory = r.getLimits().get("memory");
                if (memory != null && !AppFacts.BUSYBOX.equals(c.container.getImage())
                        && memory.getNumericalAmount().compareTo(minAppLimit) < 0) {
                    out.add(c + ": memory limit " + memory + " is under twice the measured "
                            + AppFacts.MEASURED_PEAK_RSS_MIB + " MiB RSS");
                }
            });
            return out;
        }
    },

    /** Selectors select: a workload's selector matches its template, a Service's matches the file's pods. */
    SELECTORS_MATCH {
        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            List<String> out = new ArrayList<>();
            List<Map<String, String>> podLabels = new ArrayList<>();
            for (HasMetadata object : objects) {
                String name = object.getKind() + " " + object.getMetadata().getName();
                if (object instanceof Pod pod) {
                    podLabels.add(pod.getMetadata().getLabels());
                }
                Optional<PodTemplateSpec> template = ProbeRules.template(object);
                if (template.isPresent()) {
                    Map<String, String> labels = Optional.ofNullable(template.get().getMetadata())
                            .map(ObjectMeta::getLabels).orElse(Map.of());
                    podLabels.add(labels);
                    LabelSelector selector = object instanceof Deployment d ? d.getSpec().getSelector() : null;
                    if (selector == null || selector.getMatchLabels().isEmpty() || !selector.getMatchExpressions().isEmpty()) {
                        out.add(name + ": needs a selector of matchLabels only");
                    } else if (!matches(selector.getMatchLabels(), labels)) {
                        out.add(name + ": selector " + selector.getMatchLabels() + " does not match its template's labels " + labels);
                    }
                }
            }
            for (HasMetadata object : objects) {
                if (object instanceof Service service) {
                    Map<String, String> selector = service.getSpec().getSelector();
                    if (selector.isEmpty()) {
                        out.add("Service " + service.getMetadata().getName() + ": has no selector");
                    } else if (podLabels.stream().noneMatch(labels -> matches(selector, labels))) {
                        out.add("Service " + service.getMetadata().getName() + ": selector " + selector
                                + " matches no pod in the file " + podLabels);
                    }
                }
            }
            return out;
        }

        private boolean matches(Map<String, String> selector, Map<String, String> labels) {
            return PodSpecs.selects(selector, labels);
        }
    },

    /** The course's Service: nodeapp-lb, LoadBalancer, lb-port 80 to the app's port; one per Deployment step. */
    COURSE_LOAD_BALANCER {
        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            List<String> out = new ArrayList<>();
            List<Service> services = objects.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
            boolean deployment = objects.stream().anyMatch(Deployment.class::isInstance);
            if (deployment && services.size() != 1) {
                out.add(file.getFileName() + ": a Deployment step needs exactly one Service, has " + services.size());
            }
            for (Service s : services) {
                String where = "Service " + s.getMetadata().getName();
                if (!"nodeapp-lb".equals(s.getMetadata().getName())) {
                    out.add(where + ": the course's Service is named nodeapp-lb");
                }
                if (!"LoadBalancer".equals(s.getSpec().getType())) {
                    out.add(where + ": type " + s.getSpec().getType() + ", not LoadBalancer");
                }
                List<ServicePort> ports = s.getSpec().getPorts();
                if (ports.size() != 1) {
                    out.add(where + ": needs exactly one port, has " + ports.size());
                    continue;
                }
                ServicePort p = ports.get(0);
                IntOrString target = p.getTargetPort();
                if (!"lb-port".equals(p.getName()) || !Integer.valueOf(80).equals(p.getPort())
                        || target == null || !Integer.valueOf(AppFacts.port()).equals(target.getIntVal())) {
                    out.add(where + ": port must be lb-port 80 -> " + AppFacts.port() + ", is " + p.getName() + " "
                            + p.getPort() + " -> " + (target == null ? null : target.getValue()));
                }
            }
            return out;
        }
    },

    /** No namespace: each step can be applied to any namespace (the tests use a fresh one per step). */
    NO_NAMESPACE {
        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            return objects.stream().filter(o -> o.getMetadata().getNamespace() != null)
                    .map(o -> o.getKind() + " " + o.getMetadata().getName() + ": sets namespace "
                            + o.getMetadata().getNamespace())
                    .toList();
        }
    },

    /** The kubelet's default 30 s grace period, which LabStep's time bounds assume. */
    DEFAULT_GRACE_PERIOD {
        @Override
        List<String> violations(Path file, List<HasMetadata> objects) {
            List<String> out = new ArrayList<>();
            for (HasMetadata object : objects) {
                ProbeRules.podSpec(object).map(PodSpec::getTerminationGracePeriodSeconds)
                        .filter(s -> s != PodSpecs.DEFAULT_GRACE_PERIOD.toSeconds())
                        .ifPresent(s -> out.add(object.getKind() + " " + object.getMetadata().getName()
                                + ": terminationGracePeriodSeconds " + s + "; the lab assumes the default "
                                + PodSpecs.DEFAULT_GRACE_PERIOD.toSeconds()));
            }
            for (ProbeRules.ProbeSite site : ProbeRules.probes(objects)) {
                if (site.probe().getTerminationGracePeriodSeconds() != null) {
                    out.add(site + ": sets terminationGracePeriodSeconds; the lab assumes the pod's default");
                }
            }
            return out;
        }
    };

    abstract List<String> violations(Path file, List<HasMetadata> objects);

    /** A container and the object it belongs to, for messages. */
    record Site(String object, Container container) {
        @Override
        public String toString() {
            return object + " container " + container.getName();
        }
    }

    static Stream<Site> containers(List<HasMetadata> objects) {
        return objects.stream().flatMap(o -> ProbeRules.podSpec(o).stream()
                .flatMap(s -> Stream.concat(s.getInitContainers().stream(), s.getContainers().stream()))
                .map(c -> new Site(o.getKind() + " " + o.getMetadata().getName(), c)));
    }

    /** A probe or Service port as a number (PodSpecs.port), -1 if it names no declared port. */
    static int resolve(IntOrString port, Container c) {
        return PodSpecs.port(port, c.getPorts()).orElse(-1);
    }

    private static String volumeType(Volume v) {
        // The one non-null volume source, by its field name (emptyDir, hostPath...).
        Map<String, Object> sources = new java.util.LinkedHashMap<>();
        sources.put("configMap", v.getConfigMap());
        sources.put("csi", v.getCsi());
        sources.put("downwardAPI", v.getDownwardAPI());
        sources.put("emptyDir", v.getEmptyDir());
        sources.put("ephemeral", v.getEphemeral());
        sources.put("persistentVolumeClaim", v.getPersistentVolumeClaim());
        sources.put("projected", v.getProjected());
        sources.put("secret", v.getSecret());
        sources.put("hostPath", v.getHostPath());
        return sources.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey)
                .findFirst().orElse("another type");
    }
}
