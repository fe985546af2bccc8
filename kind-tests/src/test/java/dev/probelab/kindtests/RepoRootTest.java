package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoRootTest {

    @TempDir
    Path tmp;

    @Test
    void walksUpToTheDirectoryHoldingMvnw() throws IOException {
        Files.createFile(tmp.resolve("mvnw"));
        Path deep = Files.createDirectories(tmp.resolve("kind-tests/target/test-classes"));
        assertThat(RepoRoot.find(Map.of(), deep)).isEqualTo(tmp.toRealPath());
    }

    @Test
    void theEnvironmentWinsWhenItHoldsMvnw() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.createFile(other.resolve("mvnw"));
        Files.createFile(tmp.resolve("mvnw"));
        assertThat(RepoRoot.find(Map.of(RepoRoot.ENV, other.toString()), tmp)).isEqualTo(other);
        // an env value that is not a checkout is ignored
        assertThat(RepoRoot.find(Map.of(RepoRoot.ENV, tmp.resolve("nope").toString()), tmp)).isEqualTo(tmp);
    }

    @Test
    void noMvnwAnywhereIsAClearError() {
        assertThatThrownBy(() -> RepoRoot.find(Map.of(), Path.of("/")))
                .hasMessageContaining("no directory holding mvnw");
    }

    @Test
    void aMissingManifestIsAClearError() {
        assertThatThrownBy(() -> RepoRoot.manifest(tmp, "liveness1.yaml"))
                .hasMessageContaining("lab manifest missing").hasMessageContaining("k8s");
    }

    @Test
    void findsThisCheckout() {
        assertThat(RepoRoot.find()).isDirectory();
        assertThat(RepoRoot.find().resolve("kind-tests/pom.xml")).isRegularFile();
    }
}
