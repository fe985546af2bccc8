package dev.probelab.liveness;

import static org.hamcrest.Matchers.equalTo;

import dev.probelab.core.RunningServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The course's liveness app, on a fake clock: 20 s of health for the probe's header, then 500 for good. */
class LivenessAppTest {

    private static final String OK = "{\"status\":\"ok\",\"message\":\"server : available.\"}";
    private static final String FAIL = "{\"status\":\"fail\",\"message\":\"server : not available\"}";

    private RunningServer app;

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void withTheHeaderItIsHealthyForTwentySecondsThenFailsForGood() {
        app = RunningServer.start(LivenessApp.SPEC);

        probe().statusCode(200).body(equalTo(OK));
        app.advance(Duration.ofSeconds(20));
        probe().statusCode(200).body(equalTo(OK)); // the original fails only when duration > 20000
        app.advance(Duration.ofMillis(1));
        probe().statusCode(500).body(equalTo(FAIL));
        app.advance(Duration.ofHours(1));
        probe().statusCode(500).body(equalTo(FAIL));
    }

    @Test
    void withoutTheHeaderItIsAlwaysHealthy() {
        app = RunningServer.start(LivenessApp.SPEC);
        app.advance(Duration.ofHours(1));

        app.request().get("/healthz").then().statusCode(200).body(equalTo(OK));
        app.request().header("other", "check").get("/healthz").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"health", "Health", "HEALTH"})
    void theHeaderNameIsCaseInsensitive(String name) {
        app = RunningServer.start(LivenessApp.SPEC);
        app.advance(Duration.ofSeconds(21));

        app.request().header(name, "check").get("/healthz").then().statusCode(500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Check", "CHECK", "checks", "check,check", "", "yes"})
    void onlyTheExactValueCheckTriggersTheFailure(String value) {
        app = RunningServer.start(LivenessApp.SPEC);
        app.advance(Duration.ofSeconds(21));

        app.request().header("health", value).get("/healthz").then().statusCode(200).body(equalTo(OK));
    }

    @Test
    void failAfterShortensTheHealthyTime() {
        app = RunningServer.start(LivenessApp.SPEC, Map.of("FAIL_AFTER", "1500ms"));

        app.advance(Duration.ofMillis(1500));
        probe().statusCode(200);
        app.advance(Duration.ofMillis(1));
        probe().statusCode(500);
    }

    private io.restassured.response.ValidatableResponse probe() {
        return app.request().header("health", "check").get("/healthz").then().contentType("application/json");
    }
}
