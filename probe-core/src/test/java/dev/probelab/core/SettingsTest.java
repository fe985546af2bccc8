package dev.probelab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    private static final AppSpec APP = new AppSpec("test-app", "FAIL_AFTER", Duration.ofSeconds(20), "%s",
            (request, uptime, timing) -> true);

    @Test
    void unsetVariablesTakeTheDefaults() {
        Settings settings = Settings.from(APP, Map.of());

        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.timing()).isEqualTo(Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @CsvSource({
            "20s, 20000",
            "1500ms, 1500",
            "2m, 120000",
            "20, 20000",
            "0, 0",
            "' 3s ', 3000",
    })
    void acceptsTheDocumentedForms(String value, long millis) {
        assertThat(Settings.from(APP, Map.of("FAIL_AFTER", value)).timing()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-5s", "", "   ", "1.5s", "20 s", "5h", "s", "9999999999s"})
    void rejectsABadDurationNamingTheVariableAndTheAcceptedForm(String value) {
        assertThatThrownBy(() -> Settings.from(APP, Map.of("FAIL_AFTER", value)))
                .isInstanceOf(SettingException.class)
                .hasMessage("FAIL_AFTER=\"" + value + "\" is not a duration: use "
                        + "a whole number with ms, s or m (1500ms, 20s, 2m) or plain seconds (20)");
    }

    @ParameterizedTest
    @CsvSource({"8080, 8080", "1, 1", "65535, 65535", "' 9090', 9090"})
    void acceptsAPort(String value, int port) {
        assertThat(Settings.from(APP, Map.of("PORT", value)).port()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "", "0", "65536", "-1", "80a", "123456"})
    void rejectsABadPort(String value) {
        assertThatThrownBy(() -> Settings.from(APP, Map.of("PORT", value)))
                .isInstanceOf(SettingException.class)
                .hasMessage("PORT=\"" + value + "\" is not a port: use a whole number from 1 to 65535");
    }

    @ParameterizedTest
    @CsvSource({"20000, 20s", "120000, 2m", "1500, 1.5s", "250, 0.25s", "0, 0s"})
    void formatsDurationsForLogLines(long millis, String text) {
        assertThat(Settings.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
