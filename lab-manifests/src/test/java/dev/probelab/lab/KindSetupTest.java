package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** k8s/kind/: the cluster config is a kind Cluster, and the scripts keep their documented shape. */
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
        AppFacts.apps().forEach(app -> assertThat(lib).contains(app));
        assertThat(lib).contains("for tool in docker kind kubectl");
    }
}
