package dev.probelab.core;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The readiness and startup apps' shared behaviour, on a fake clock: /healthz is 500 until the
 * timing (60 s by default) has passed since the server listened, then 200 for good.
 */
public abstract class UnhealthyUntilTimingContract {

    private static final String OK = "{\"status\":\"ok\",\"message\":\"server : available.\"}";
    private static final String FAIL = "{\"status\":\"fail\",\"message\":\"server : not available\"}";

    private RunningServer app;

    protected abstract AppSpec spec();

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void failsForTheFirstSixtySecondsThenIsHealthyForGood() {
        app = RunningServer.start(spec());

        healthz().statusCode(500).body(equalTo(FAIL));
        app.advance(Duration.ofMillis(59_999));
        healthz().statusCode(500).body(equalTo(FAIL)); // the original fails while duration < 60000
        app.advance(Duration.ofMillis(1));
        healthz().statusCode(200).body(equalTo(OK));
        app.advance(Duration.ofHours(1));
        healthz().statusCode(200).body(equalTo(OK));
    }

    @Test
    void theTimingComesFromTheEnvironment() {
        app = RunningServer.start(spec(), Map.of(spec().timingVariable(), "2m"));

        app.advance(Duration.ofSeconds(119));
        healthz().statusCode(500);
        app.advance(Duration.ofSeconds(1));
        healthz().statusCode(200);
    }

    @Test
    void headersDoNotChangeTheAnswer() {
        app = RunningServer.start(spec());

        app.request().header("health", "check").get("/healthz").then().statusCode(500);
        app.advance(Duration.ofSeconds(60));
        app.request().header("health", "check").get("/healthz").then().statusCode(200);
    }

    @Test
    void thePageShowsWhichPodAnswered() {
        app = RunningServer.start(spec());

        app.request().get("/").then()
                .statusCode(200)
                .contentType("text/html")
                .body(containsString("<h2> " + spec().name() + " </h2>"))
                .body(containsString("<h2> Version : " + BuildInfo.version() + " </h2>"))
                .body(containsString("<h2> hostname: " + RunningServer.TEST_HOSTNAME + " </h2>"));
    }

    private io.restassured.response.ValidatableResponse healthz() {
        return app.request().get("/healthz").then().contentType("application/json");
    }
}
