package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest in k8s/ keeps every {@link Convention}; each convention rejects its bad fixtures. */
class ConventionTest {

    static Stream<Arguments> manifestsAndConventions() {
        return Fixtures.manifests().stream()
                .flatMap(m -> Arrays.stream(Convention.values()).map(c -> Arguments.of(m.getFileName(), c, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("manifestsAndConventions")
    void everyManifestKeepsEveryConvention(Path name, Convention convention, Path manifest) {
        assertThat(convention.violations(manifest, ManifestLoader.load(manifest))).isEmpty();
    }

    static Stream<Arguments> badFixtures() {
        return Arrays.stream(Convention.values())
                .flatMap(c -> Fixtures.fixtures("conventions/" + c.name()).stream().map(f -> Arguments.of(c, f.getFileName(), f)));
    }

    @ParameterizedTest(name = "{0} rejects {1}")
    @MethodSource("badFixtures")
    void everyConventionRejectsItsBadFixtures(Convention convention, Path name, Path fixture) {
        // The fixture is valid for the API (so only the convention can catch it)...
        List<HasMetadata> objects = ManifestLoader.load(fixture);
        ProbeRules.check(fixture, objects);
        // ...and breaks this convention in the way its "# expect:" line says.
        assertThat(convention.violations(fixture, objects))
                .anySatisfy(v -> assertThat(v).contains(Fixtures.expectation(fixture)));
    }
}
