package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestLoaderTest {

    @TempDir
    Path tmp;

    static Stream<Path> rejected() {
        return Stream.concat(Fixtures.fixtures("course").stream(), Fixtures.fixtures("loader").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithOneLineNamingTheFileAndField(Path fixture) {
        assertThatThrownBy(() -> ManifestLoader.load(fixture))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(fixture + ": ")
                .hasMessageContaining(Fixtures.expectation(fixture))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theCoursesMisindentedStartupProbeFailsNamingTheField() {
        Path course = Fixtures.fixtures("course").stream()
                .filter(f -> f.getFileName().toString().equals("startup-probe-misindented.yaml")).findFirst().orElseThrow();
        assertThatThrownBy(() -> ManifestLoader.load(course))
                .hasMessageContaining("Deployment nodeapp-startup")
                .hasMessageContaining("httpGet.initialDelaySeconds");
    }

    @Test
    void readsEveryDocumentIntoItsApiType() throws IOException {
        Path file = write("""
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: d
                spec:
                  selector:
                    matchLabels:
                      app: x
                  template:
                    metadata:
                      labels:
                        app: x
                    spec:
                      containers:
                        - name: c
                          image: probe-lab/startup-app:1.0.0
                          startupProbe:
                            httpGet:
                              path: /healthz
                              port: 8080
                            periodSeconds: 10
                            failureThreshold: 10
                ---
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: s
                spec:
                  ports:
                    - port: 80
                      targetPort: 8080
                """);
        List<HasMetadata> objects = ManifestLoader.load(file);
        assertThat(objects).hasSize(2);
        assertThat(objects.get(0)).isInstanceOf(Deployment.class);
        assertThat(objects.get(1)).isInstanceOf(Service.class);
        Probe startup = ((Deployment) objects.get(0)).getSpec().getTemplate().getSpec().getContainers().get(0).getStartupProbe();
        assertThat(startup.getPeriodSeconds()).isEqualTo(10);
        assertThat(startup.getFailureThreshold()).isEqualTo(10);
        assertThat(startup.getHttpGet().getPort().getIntVal()).isEqualTo(8080);
        assertThat(startup.getHttpGet().getAdditionalProperties()).isEmpty();
        assertThat(((Service) objects.get(1)).getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(8080);
    }

    @Test
    void acceptsWhatTheApiAcceptsForIntOrStringAndQuantities() throws IOException {
        Path file = write("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                spec:
                  containers:
                    - name: c
                      image: busybox:1.36.1
                      ports:
                        - name: http
                          containerPort: 8080
                      readinessProbe:
                        httpGet:
                          path: /
                          port: http
                      resources:
                        limits:
                          cpu: 1
                          memory: 32Mi
                """);
        Pod pod = (Pod) ManifestLoader.load(file).get(0);
        assertThat(pod.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("32Mi");
    }

    @Test
    void aMissingFileIsAManifestException() {
        Path missing = tmp.resolve("missing.yaml");
        assertThatThrownBy(() -> ManifestLoader.load(missing))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(missing + ": cannot read");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("m.yaml"), yaml);
    }
}
