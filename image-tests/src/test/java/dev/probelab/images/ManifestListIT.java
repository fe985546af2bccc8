package dev.probelab.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the registry holds for each app: a two-platform manifest list of hardened, labelled images. */
@ExtendWith(DockerAvailable.class)
class ManifestListIT {

    @ParameterizedTest
    @EnumSource(AppImage.class)
    void manifestListHoldsExactlyAmd64AndArm64(AppImage app) throws Exception {
        Registry.Document list = Registry.manifest(app.repository(), AppImage.version(), Registry.MANIFEST_LIST);

        assertThat(list.mediaType()).isEqualTo(Registry.MANIFEST_LIST);
        assertThat(platforms(list.json())).containsExactlyInAnyOrder(Container.AMD64, Container.ARM64);
        // The list under the tag is the one this build's jib:build pushed, not an older one.
        assertThat(list.digest()).isEqualTo(Files.readString(app.jibDigestFile()).strip());
    }

    @ParameterizedTest
    @EnumSource(AppImage.class)
    void everyPlatformImageRunsAsNonRootOnPort8080WithOciLabelsAndAFixedDate(AppImage app) throws Exception {
        JsonNode list = Registry.manifest(app.repository(), AppImage.version(), Registry.MANIFEST_LIST).json();
        for (JsonNode entry : list.get("manifests")) {
            JsonNode manifest = Registry.manifest(app.repository(), entry.get("digest").asText(), Registry.MANIFEST).json();
            JsonNode image = Registry.blob(app.repository(), manifest.at("/config/digest").asText());
            JsonNode config = image.get("config");

            assertThat(image.get("architecture").asText()).isEqualTo(entry.at("/platform/architecture").asText());
            // A fixed date, not the build's clock: one of the things that make the digest reproducible.
            assertThat(image.get("created").asText()).isEqualTo(System.getProperty("image.created"));
            assertThat(config.get("User").asText()).isEqualTo("65532:65532");
            assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
            JsonNode labels = config.get("Labels");
            assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo(app.module);
            assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo(AppImage.version());
            assertThat(labels.get("org.opencontainers.image.source").asText()).isEqualTo(System.getProperty("image.source"));
            assertThat(labels.get("org.opencontainers.image.revision").asText()).matches("[0-9a-f]{40}");
            assertThat(labels.get("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
        }
    }

    private static List<String> platforms(JsonNode list) {
        List<String> platforms = new ArrayList<>();
        for (JsonNode entry : list.get("manifests")) {
            platforms.add(entry.at("/platform/os").asText() + "/" + entry.at("/platform/architecture").asText());
        }
        return platforms;
    }
}
