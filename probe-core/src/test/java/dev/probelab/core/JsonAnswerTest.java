package dev.probelab.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonAnswerTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theWrittenOutHealthBodiesAreWhatJacksonWrites() throws Exception {
        assertThat(JsonAnswer.AVAILABLE_JSON).isEqualTo(json.writeValueAsString(JsonAnswer.AVAILABLE));
        assertThat(JsonAnswer.NOT_AVAILABLE_JSON).isEqualTo(json.writeValueAsString(JsonAnswer.NOT_AVAILABLE));
    }

    @Test
    void theHealthBodiesAreTheOriginalsByteForByte() {
        assertThat(JsonAnswer.AVAILABLE_JSON).isEqualTo("{\"status\":\"ok\",\"message\":\"server : available.\"}");
        assertThat(JsonAnswer.NOT_AVAILABLE_JSON).isEqualTo("{\"status\":\"fail\",\"message\":\"server : not available\"}");
    }
}
