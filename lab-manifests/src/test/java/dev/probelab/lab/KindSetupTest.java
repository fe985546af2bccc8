package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * k8s/kind/: the cluster config is a kind Cluster, the scripts keep their documented shape, the versions
 * are pinned in one place (versions.env) that the README and the kind workflow follow. What the
 * scripts do is KindScriptsTest's.
 */
class KindSetupTest {

    private static final Path KIND = ProjectDirs.k8s().resolve("kind");

    @Test
    void theClusterConfigIsAOneNodeKindCluster() {
        JsonNode config = new YAMLMapper().readTree(KIND.resolve("kind-config.yaml").toFile());
        assertThat(config.path("kind").asString()).isEqualTo("Cluster");
        assertThat(config.path("apiVersion").asString()).isEqualTo("kind.x-k8s.io/v1alpha4");
        // The name comes from KIND_CLUSTER (create-cluster.sh passes --name), not from the file.
        assertThat(config.has("name")).isFalse();
        assertThat(config.path("nodes")).hasSize(1);
        assertThat(config.path("nodes").get(0).path("role").asString()).isEqualTo("control-plane");
    }

    /** The set-up scripts (e2e.sh, which drives them, is the kind tests' own). */
    static List<Path> scripts() {
        return Stream.of("create-cluster.sh", "load-images.sh", "metallb.sh", "delete-cluster.sh").map(KIND::resolve).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void eachScriptIsDocumentedStrictAndChecksItsToolsFirst(Path script) throws IOException {
        assertThat(script).isExecutable();
        List<String> lines = Files.readAllLines(script);
        assertThat(lines.get(0)).isEqualTo("#!/usr/bin/env bash");
        String header = String.join("\n", lines.subList(0, lines.indexOf("set -euo pipefail")));
        assertThat(header).contains("# Usage:", "# Env:", "# Exit:", "KIND_CLUSTER");
        // The first thing after loading lib.sh: one clear line if docker, kind or kubectl is missing.
        int source = lines.indexOf("source \"$(dirname \"$0\")/lib.sh\"");
        assertThat(source).isPositive();
        assertThat(lines.subList(source + 1, lines.size()).stream().filter(l -> !l.isBlank()).findFirst())
                .hasValue("need_tools");
    }

    @Test
    void theLibraryNamesTheImagesTheManifestsUse() {
        String lib = Fixtures.read(KIND.resolve("lib.sh"));
        assertThat(lib).contains("BUSYBOX_IMAGE=" + AppFacts.BUSYBOX);
        assertThat(lib).contains("for tool in docker kind kubectl");
        // The app list every script uses is lib/probe-lab.sh's, which the kind library sources.
        assertThat(lib).contains("source \"$(dirname \"${BASH_SOURCE[0]}\")/../../lib/probe-lab.sh\"");
        String shared = Fixtures.read(ProjectDirs.root().resolve("lib/probe-lab.sh"));
        assertThat(shared).contains("APPS=(" + String.join(" ", AppFacts.apps()) + ")");
    }

    private static final Pattern NODE_IMAGE = Pattern.compile("kindest/node:(v\\d+\\.\\d+\\.\\d+)@sha256:[0-9a-f]{64}");

    private static String pin(String key) {
        return Fixtures.read(KIND.resolve("versions.env")).lines().filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1)).findFirst().orElseThrow(() -> new AssertionError(key + " not in versions.env"));
    }

    @Test
    void kindAndItsNodeImageArePinnedByDigestAndTheReadmeNamesTheKubernetesVersion() {
        assertThat(pin("KIND_VERSION")).matches("v\\d+\\.\\d+\\.\\d+");
        assertThat(pin("CLOUD_PROVIDER_KIND_VERSION")).matches("v\\d+\\.\\d+\\.\\d+");
        Matcher image = NODE_IMAGE.matcher(pin("KIND_NODE_IMAGE"));
        assertThat(image.matches()).as("KIND_NODE_IMAGE pinned by digest").isTrue();
        String readme = Fixtures.read(ProjectDirs.root().resolve("README.md"));
        String onACluster = readme.substring(readme.indexOf("## On a cluster"), readme.indexOf("## Images"));
        assertThat(onACluster).contains("kind " + pin("KIND_VERSION"), "Kubernetes " + image.group(1));
    }

    @Test
    void theWorkflowTakesItsVersionsFromVersionsEnvAndUploadsTheLogsOnFailure() {
        Path file = ProjectDirs.root().resolve(".github/workflows/kind-e2e.yml");
        String text = Fixtures.read(file);
        assertThat(text).doesNotContain("/tmp/probe-lab-kind").contains("k8s/kind/versions.env >> \"$GITHUB_ENV\"");
        JsonNode steps = new YAMLMapper().readTree(file.toFile()).path("jobs").path("kind-e2e").path("steps");
        JsonNode kindAction = find(steps, s -> s.path("uses").asString().startsWith("helm/kind-action@"));
        assertThat(kindAction.path("uses").asString()).as("a release tag, not a moving major").matches("helm/kind-action@v\\d+\\.\\d+\\.\\d+");
        assertThat(kindAction.path("with").path("version").asString()).isEqualTo("${{ env.KIND_VERSION }}");
        assertThat(kindAction.path("with").path("install_only").asBoolean()).isTrue();
        assertThat(find(steps, s -> s.path("run").asString().contains("go install")).path("run").asString())
                .contains("sigs.k8s.io/cloud-provider-kind@${CLOUD_PROVIDER_KIND_VERSION}");
        JsonNode logs = find(steps, s -> s.path("with").path("path").asString().equals("${{ env.KIND_LOG_DIR }}"));
        assertThat(logs.path("uses").asString()).startsWith("actions/upload-artifact@");
        assertThat(logs.path("if").asString()).isEqualTo("failure()");
    }

    private static JsonNode find(JsonNode steps, java.util.function.Predicate<JsonNode> which) {
        for (JsonNode step : steps) {
            if (which.test(step)) {
                return step;
            }
        }
        throw new AssertionError("no such step in the kind workflow");
    }
}
