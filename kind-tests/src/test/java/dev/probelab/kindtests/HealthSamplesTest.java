package dev.probelab.kindtests;

import static dev.probelab.kindtests.HealthSamples.FAIL_BODY;
import static dev.probelab.kindtests.HealthSamples.OK_BODY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.LabStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthSamplesTest {

    static final Duration FAIL_AFTER = LabStep.LIVENESS_HTTP.courseTiming();
    static final Duration LISTENS = LabStep.APP_LISTENS_WITHIN;

    private static HealthSamples.Sample sample(double sentSeconds, Answer answer) {
        Duration sent = Duration.ofMillis((long) (sentSeconds * 1000));
        return new HealthSamples.Sample(sent, sent.plusMillis(30), answer);
    }

    private static Answer ok() {
        return new Answer.Response(200, OK_BODY);
    }

    private static Answer fail() {
        return new Answer.Response(500, FAIL_BODY);
    }

    /** One request a second from +start, the app flipping at +flip (its own clock starts ~1 s after the container's). */
    private static List<HealthSamples.Sample> course(double start, double flip, double end) {
        List<HealthSamples.Sample> samples = new ArrayList<>();
        for (double t = start; t <= end; t += 1) {
            samples.add(sample(t, t < flip ? ok() : fail()));
        }
        return samples;
    }

    @Test
    void twoHundredBeforeAndFiveHundredAfterPasses() {
        assertThat(HealthSamples.check(course(2.5, FAIL_AFTER.toSeconds() + 1.2, FAIL_AFTER.toSeconds() + 2), FAIL_AFTER, LISTENS)).isEmpty();
    }

    @Test
    void connectionFailuresWhileTheAppStartsAreIgnored() {
        List<HealthSamples.Sample> samples = new ArrayList<>();
        samples.add(sample(0.5, new Answer.NoAnswer("connection refused")));
        samples.addAll(course(1.5, FAIL_AFTER.toSeconds() + 1, FAIL_AFTER.toSeconds() + 1.5));
        assertThat(HealthSamples.check(samples, FAIL_AFTER, LISTENS)).isEmpty();
    }

    @Test
    void aFiveHundredBeforeFailAfterFails() {
        assertThat(HealthSamples.check(course(2.5, 10, FAIL_AFTER.toSeconds() + 2), FAIL_AFTER, LISTENS))
                .anyMatch(p -> p.contains("500 came before"));
        // a wrong answer before FAIL_AFTER that is not a 500 is reported as such
        List<HealthSamples.Sample> samples = course(2.5, FAIL_AFTER.toSeconds() + 1, FAIL_AFTER.toSeconds() + 2);
        samples.set(3, sample(5.5, new Answer.Response(404, "Not Found")));
        assertThat(HealthSamples.check(samples, FAIL_AFTER, LISTENS)).singleElement().asString().contains("expected 200");
    }

    @Test
    void neverFiveHundredFails() {
        assertThat(HealthSamples.check(course(2.5, 1000, FAIL_AFTER.toSeconds() + 10), FAIL_AFTER, LISTENS))
                .anyMatch(p -> p.contains("no 500"))
                .anyMatch(p -> p.contains("still 200"));
    }

    @Test
    void noEarlyAnswerFails() {
        // the path to the Service only worked after FAIL_AFTER: the "200 before" half is unproven
        assertThat(HealthSamples.check(course(FAIL_AFTER.toSeconds() + 1.5, 0, FAIL_AFTER.toSeconds() + 3), FAIL_AFTER, LISTENS))
                .singleElement().asString().contains("no 200");
    }

    @Test
    void theBodiesMustBeTheCourses() {
        List<HealthSamples.Sample> samples = List.of(sample(3, new Answer.Response(200, "{\"status\":\"UP\"}")),
                sample(22, new Answer.Response(500, "Internal Server Error")));
        assertThat(HealthSamples.check(samples, FAIL_AFTER, LISTENS))
                .anyMatch(p -> p.contains("expected 200"))
                .anyMatch(p -> p.contains("did not carry"));
    }
}
