package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeRulesTest {

    static List<Path> rejected() {
        return Fixtures.fixtures("probe-rules");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWhatTheApiServerRejects(Path fixture) {
        // Each fixture has the right shape (it loads strictly) and breaks one validation rule.
        List<HasMetadata> objects = ManifestLoader.load(fixture);
        assertThatThrownBy(() -> ProbeRules.check(fixture, objects))
                .isInstanceOf(ManifestException.class)
                .hasMessage(fixture + ": " + Fixtures.expectation(fixture));
    }

    static List<Path> manifests() {
        return Fixtures.manifests();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyLabStepPasses(Path manifest) {
        assertThatCode(() -> ProbeRules.check(manifest, ManifestLoader.load(manifest))).doesNotThrowAnyException();
    }
}
