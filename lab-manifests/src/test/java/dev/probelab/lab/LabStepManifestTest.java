package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each LabStep's manifest exists and sets what LabStep computes its expected outcome from. */
class LabStepManifestTest {

    /** The course's names (kept), per step: workload kind and name, container name. */
    private static final Map<LabStep, List<String>> COURSE_NAMES = Map.of(
            LabStep.LIVENESS_HTTP, List.of("Deployment", "nodeapp-liveness", "liveness1"),
            LabStep.LIVENESS_EXEC, List.of("Pod", "liveness2", "liveness2"),
            LabStep.READINESS, List.of("Deployment", "nodeapp-readiness", "readiness"),
            LabStep.STARTUP_LIVENESS_ONLY, List.of("Deployment", "nodeapp-startup", "startup1"),
            LabStep.STARTUP_PROBE, List.of("Deployment", "nodeapp-startup", "startup1"),
            LabStep.TCP_SOCKET, List.of("Deployment", "nodeapp-tcp-socket", "tcp-socket"));

    /** The API's defaults (pkg/apis/core/v1/defaults.go): timeoutSeconds and successThreshold stay at them. */
    private static final Map<String, Integer> DEFAULTS = Map.of(
            "initialDelaySeconds", 0, "periodSeconds", 10, "timeoutSeconds", 1, "successThreshold", 1, "failureThreshold", 3);

    @Test
    void k8sHoldsExactlyTheLabStepsManifests() throws Exception {
        Set<String> files;
        try (var list = Files.list(ProjectDirs.k8s())) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).collect(Collectors.toSet());
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(
                Set.of(LabStep.values()).stream().map(LabStep::manifest).collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @EnumSource(LabStep.class)
    void theStepsManifestExists(LabStep step) {
        assertThat(ProjectDirs.manifest(step)).isRegularFile();
    }

    @ParameterizedTest
    @EnumSource(LabStep.class)
    void keepsTheCoursesNamesAndRunsTheStepsImage(LabStep step) {
        List<HasMetadata> objects = ManifestLoader.load(ProjectDirs.manifest(step));
        List<String> names = COURSE_NAMES.get(step);
        HasMetadata workload = objects.stream().filter(o -> ProbeRules.podSpec(o).isPresent()).findFirst().orElseThrow();
        assertThat(objects.stream().filter(o -> ProbeRules.podSpec(o).isPresent())).hasSize(1);
        assertThat(List.of(workload.getKind(), workload.getMetadata().getName())).isEqualTo(names.subList(0, 2));
        Container c = container(objects);
        assertThat(c.getName()).isEqualTo(names.get(2));
        assertThat(c.getImage()).isEqualTo(step.app() == null ? AppFacts.BUSYBOX : AppFacts.image(step.app()));
        Map<String, String> labels = workload.getKind().equals("Pod") ? workload.getMetadata().getLabels()
                : ProbeRules.template(workload).orElseThrow().getMetadata().getLabels();
        if (step.app() != null) {
            assertThat(labels).containsEntry("app", "nodeapp");
        }
    }

    @ParameterizedTest
    @EnumSource(LabStep.class)
    void probesAreTheOnesLabStepComputesWith(LabStep step) {
        Container c = container(ManifestLoader.load(ProjectDirs.manifest(step)));
        Map<String, Probe> actual = ProbeRules.probes(c);
        assertThat(actual.keySet()).as("probes of %s", step).isEqualTo(step.probes().keySet());
        step.probes().forEach((field, settings) -> {
            Probe probe = actual.get(field);
            assertThat(handler(probe)).as("%s %s handler", step, field).isEqualTo(settings.handler());
            Map<String, Integer> expected = new HashMap<>(DEFAULTS);
            expected.put("initialDelaySeconds", settings.initialDelaySeconds());
            expected.put("periodSeconds", settings.periodSeconds());
            expected.put("failureThreshold", settings.failureThreshold());
            assertThat(numbers(probe)).as("%s %s numbers", step, field).isEqualTo(expected);
        });
    }

    @Test
    void theLivenessStepSendsTheHeaderTheLivenessAppFailsFor() {
        Probe probe = container(ManifestLoader.load(ProjectDirs.manifest(LabStep.LIVENESS_HTTP))).getLivenessProbe();
        assertThat(probe.getHttpGet().getHttpHeaders()).extracting(HTTPHeader::getName, HTTPHeader::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("health", "check"));
    }

    @Test
    void theExecStepRunsTheCoursesCommand() {
        Container c = container(ManifestLoader.load(ProjectDirs.manifest(LabStep.LIVENESS_EXEC)));
        // LabStep counts on the file disappearing 30 s after the container starts.
        assertThat(c.getCommand()).isEmpty();
        assertThat(c.getArgs()).containsExactly("/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600");
        assertThat(c.getLivenessProbe().getExec().getCommand()).containsExactly("cat", "/tmp/healthy");
    }

    @ParameterizedTest
    @EnumSource(LabStep.class)
    void theExpectedEventsNameTheManifestsContainer(LabStep step) {
        Container c = container(ManifestLoader.load(ProjectDirs.manifest(step)));
        Pattern named = Pattern.compile("container (\\S+)", Pattern.CASE_INSENSITIVE);
        step.expectedOutcome().events().forEach(e -> {
            Matcher m = named.matcher(e.messagePrefix());
            if (m.find()) {
                assertThat(m.group(1)).as("%s event %s", step, e).isEqualTo(c.getName());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(LabStep.class)
    void keepsTheCoursesTimingAndGracePeriod(LabStep step) {
        List<HasMetadata> objects = ManifestLoader.load(ProjectDirs.manifest(step));
        Container c = container(objects);
        if (step.timingVariable() != null) {
            assertThat(c.getEnv()).as("the app runs with the course's %s", step.timingVariable())
                    .noneMatch(e -> e.getName().equals(step.timingVariable()));
        }
        PodSpec spec = objects.stream().map(ProbeRules::podSpec).flatMap(java.util.Optional::stream).findFirst().orElseThrow();
        assertThat(spec.getTerminationGracePeriodSeconds()).isNull();
        assertThat(spec.getRestartPolicy()).isIn(null, "Always");
    }

    private static Container container(List<HasMetadata> objects) {
        List<Container> containers = objects.stream().map(ProbeRules::podSpec).flatMap(java.util.Optional::stream)
                .flatMap(s -> s.getContainers().stream()).toList();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static String handler(Probe p) {
        return p.getExec() != null ? "exec" : p.getHttpGet() != null ? "httpGet" : p.getTcpSocket() != null ? "tcpSocket" : "grpc";
    }

    private static Map<String, Integer> numbers(Probe p) {
        Map<String, Integer> n = new HashMap<>(DEFAULTS);
        put(n, "initialDelaySeconds", p.getInitialDelaySeconds());
        put(n, "periodSeconds", p.getPeriodSeconds());
        put(n, "timeoutSeconds", p.getTimeoutSeconds());
        put(n, "successThreshold", p.getSuccessThreshold());
        put(n, "failureThreshold", p.getFailureThreshold());
        return n;
    }

    private static void put(Map<String, Integer> n, String key, Integer value) {
        if (value != null) {
            n.put(key, value);
        }
    }
}
