package dev.probelab.lab;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a k8s/ manifest into fabric8's Kubernetes API types as strictly as the API server's
 * strict field validation (what {@code kubectl apply} asks for by default, {@code --validate=strict}):
 * every field must be one the type declares, at the place the type declares it.
 *
 * <p>fabric8's model classes keep unknown fields in {@code additionalProperties} (a Jackson
 * "any setter"), so a misplaced field would load without complaint. This loader removes the any
 * setter from every bean deserializer and turns on {@code FAIL_ON_UNKNOWN_PROPERTIES}; it also
 * rejects duplicate keys and scalars of the wrong type ({@code "3"} for an integer, {@code 3} for a
 * string), which the API server rejects too. The apiVersion + kind to class mapping is fabric8's own.
 */
public final class ManifestLoader {

    /** Only for fabric8's apiVersion/kind registry; its own mapper is lenient and is not used to read. */
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private static final ObjectMapper STRICT = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // "3" is not an int32, 3 is not a string, "true" is not a boolean: the API server says so too.
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .addModule(new SimpleModule("no-additional-properties").setDeserializerModifier(new NoAnySetter()))
            .build();

    private ManifestLoader() {
    }

    /**
     * Every non-empty YAML document of {@code file}, in order, as its Kubernetes API type.
     *
     * @throws ManifestException with one line naming the file (and document, and field path) when a
     *                           document is not valid YAML, has no known apiVersion/kind, or holds a
     *                           field its type does not declare at that place
     */
    public static List<HasMetadata> load(Path file) {
        List<JsonNode> documents = readDocuments(file);
        List<HasMetadata> objects = new ArrayList<>();
        int number = 0;
        for (JsonNode document : documents) {
            number++;
            if (document == null || document.isNull() || document.isMissingNode()) {
                continue; // an empty document ("---" twice, or a trailing "---"): kubectl skips it too
            }
            objects.add(toObject(file, number, document));
        }
        if (objects.isEmpty()) {
            throw new ManifestException(file + ": no Kubernetes object in the file");
        }
        return List.copyOf(objects);
    }

    private static List<JsonNode> readDocuments(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<JsonNode> it = STRICT.readerFor(JsonNode.class).readValues(reader)) {
            return it.readAll();
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read: " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new ManifestException(file + ": not valid YAML: " + firstLine(e.getOriginalMessage()) + location(e), e);
        }
    }

    private static HasMetadata toObject(Path file, int number, JsonNode document) {
        String where = file + ": document " + number;
        if (!document.isObject()) {
            throw new ManifestException(where + ": not a mapping but " + document.getNodeType());
        }
        String apiVersion = text(document, "apiVersion");
        String kind = text(document, "kind");
        if (apiVersion == null || kind == null) {
            throw new ManifestException(where + ": apiVersion and kind must both be set as strings");
        }
        String name = document.path("metadata").path("name").asString(null);
        String what = where + " (" + kind + (name == null ? "" : " " + name) + ")";
        Class<? extends KubernetesResource> type = KUBERNETES.getRegisteredKubernetesResource(apiVersion, kind);
        if (type == null || !HasMetadata.class.isAssignableFrom(type)) {
            throw new ManifestException(what + ": unknown apiVersion/kind " + apiVersion + "/" + kind);
        }
        try {
            return (HasMetadata) STRICT.treeToValue(document, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ManifestException(what + ": unknown field " + path(e), e);
        } catch (JacksonException e) {
            throw new ManifestException(what + ": invalid value at " + path(e) + ": " + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static String text(JsonNode document, String field) {
        JsonNode node = document.get(field);
        return node != null && node.isString() ? node.asString() : null;
    }

    /** The field path of an error as the API server writes it: spec.template.spec.containers[0].name. */
    static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(top level)" : path.toString();
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }

    /** Drops the any setter (fabric8's additionalProperties) so unknown fields fail instead of being kept. */
    private static final class NoAnySetter extends ValueDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription.Supplier beanDesc,
                                                     BeanDeserializerBuilder builder) {
            builder.setAnySetter(null);
            return builder;
        }
    }
}
