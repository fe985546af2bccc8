package dev.probelab.runner.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.probelab.lab.ObservedRun;
import java.util.List;

/**
 * The one JSON object `--summary json` prints last: each pod's observed run ({@link ObservedRun}, the
 * record the cluster tests build from a real cluster too), times in seconds after the pod's first
 * container started.
 */
public record Summary(List<ObservedRun> pods) {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads what {@link #toJson()} wrote. */
    public static Summary fromJson(String json) {
        try {
            return JSON.readValue(json, Summary.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a lab summary: " + e.getOriginalMessage(), e);
        }
    }
}
