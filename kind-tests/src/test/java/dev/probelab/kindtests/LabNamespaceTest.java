package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LabNamespaceTest {

    KubernetesClient client;

    static Path fixtureRepo() throws URISyntaxException {
        return Path.of(LabNamespaceTest.class.getResource("/fixture-repo/mvnw").toURI()).getParent();
    }

    @Test
    void aFreshLabelledNamespaceGetsTheManifestAndGoesAway() throws URISyntaxException {
        List<HasMetadata> items = LabNamespace.load(fixtureRepo().resolve("k8s/liveness1.yaml"));
        assertThat(items).extracting(HasMetadata::getKind).containsExactly("Deployment", "Service");

        String name;
        try (LabNamespace ns = LabNamespace.create(client, "liveness1.yaml")) {
            name = ns.name();
            assertThat(name).matches("probe-lab-liveness1-[0-9a-f]{6}");
            Namespace created = client.namespaces().withName(name).get();
            assertThat(created.getMetadata().getLabels())
                    .containsEntry(LabNamespace.LABEL, "true").containsEntry(LabNamespace.STEP_LABEL, "liveness1");

            ns.apply(items);
            assertThat(client.apps().deployments().inNamespace(name).withName("nodeapp-liveness").get()).isNotNull();
            assertThat(client.services().inNamespace(name).withName("nodeapp-lb").get().getSpec().getType())
                    .isEqualTo("LoadBalancer");
            assertThat(client.services().inNamespace("default").withName("nodeapp-lb").get()).isNull();
        }
        assertThat(client.namespaces().withName(name).get()).isNull();
    }

    @Test
    void twoRunsOfOneStepGetTwoNamespaces() {
        assertThat(LabNamespace.name("startup-probe.yaml")).startsWith("probe-lab-startup-probe-")
                .isNotEqualTo(LabNamespace.name("startup-probe.yaml"));
        assertThat(LabNamespace.name("x".repeat(100) + ".yaml")).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void aManifestPinningANamespaceIsRefused() {
        assertThatThrownBy(() -> LabNamespace.load(fixtureRepo().resolve("k8s/pinned-namespace.yaml")))
                .hasMessageContaining("names namespace 'default'");
    }
}
