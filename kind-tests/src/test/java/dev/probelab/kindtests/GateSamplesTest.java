package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateSamplesTest {

    static final ServiceRoute LB = new ServiceRoute.LoadBalancer("nodeapp-lb", "172.18.255.200", 80);
    static final ServiceRoute PF = new ServiceRoute.PortForward("nodeapp-lb", "no LoadBalancer address within 30s");
    static final EndpointState NOT_READY = new EndpointState(0, 1);
    static final String PAGE = "<div><h2> readiness-app </h2><h2> Version : 1.0.0 </h2><h2> hostname: nodeapp-readiness-5cc89fd495-wtq4x </h2></div>";

    private static List<GateSamples.Sample> closed(int n, Answer answer) {
        List<GateSamples.Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(new GateSamples.Sample(Duration.ofSeconds(2L * i + 3), NOT_READY, answer, NOT_READY));
        }
        return samples;
    }

    @Test
    void noAnswerThroughTheLoadBalancerWhileNotReadyPasses() {
        assertThat(GateSamples.check(closed(25, new Answer.NoAnswer("connection refused")), LB)).isEmpty();
        // an L4 proxy that accepts and closes, or answers with its own error page, is not the app answering
        assertThat(GateSamples.check(closed(25, new Answer.NoAnswer("connection closed without a response")), LB)).isEmpty();
        assertThat(GateSamples.check(closed(25, new Answer.Response(503, "no healthy upstream")), LB)).isEmpty();
    }

    @Test
    void theAppsPageThroughTheLoadBalancerWhileNotReadyFails() {
        List<GateSamples.Sample> samples = closed(25, new Answer.NoAnswer("connection refused"));
        samples.set(10, new GateSamples.Sample(Duration.ofSeconds(23), NOT_READY, new Answer.Response(200, PAGE), NOT_READY));
        assertThat(GateSamples.check(samples, LB)).singleElement().asString().contains("the app answered");
    }

    @Test
    void throughAPortForwardTheAnswersProveNothingButTheEndpointSliceStillCounts() {
        // a port-forward reaches the pod itself: the not-ready app answers, and that is expected
        assertThat(GateSamples.check(closed(25, new Answer.Response(200, PAGE)), PF)).isEmpty();
    }

    @Test
    void anEndpointTurningReadyBetweenTheReadsIsNotAClosedSample() {
        List<GateSamples.Sample> samples = closed(25, new Answer.NoAnswer("connection refused"));
        samples.add(new GateSamples.Sample(Duration.ofSeconds(61), NOT_READY, new Answer.Response(200, PAGE), new EndpointState(1, 0)));
        assertThat(GateSamples.check(samples, LB)).isEmpty();
    }

    @Test
    void tooFewSamplesOrAPodThatNeverShowedFail() {
        assertThat(GateSamples.check(closed(GateSamples.MIN_CLOSED_SAMPLES - 1, new Answer.NoAnswer("refused")), LB))
                .singleElement().asString().contains("only " + (GateSamples.MIN_CLOSED_SAMPLES - 1));
        List<GateSamples.Sample> empty = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            empty.add(new GateSamples.Sample(Duration.ofSeconds(i), new EndpointState(0, 0), new Answer.NoAnswer("refused"), new EndpointState(0, 0)));
        }
        assertThat(GateSamples.check(empty, LB)).singleElement().asString().contains("never showed in the EndpointSlice");
    }

    @Test
    void readsTheAppsPageAndItsHostname() {
        Answer page = new Answer.Response(200, "\n<div>\n    <h2> readiness-app </h2>\n    <h2> hostname: nodeapp-readiness-5cc89fd495-wtq4x </h2>\n</div>\n");
        assertThat(page.isAppPage()).isTrue();
        assertThat(page.isAppPageOf("nodeapp-readiness-5cc89fd495-wtq4x")).isTrue();
        assertThat(page.isAppPageOf("nodeapp-readiness-5cc89fd495")).isFalse();
        assertThat(new Answer.Response(503, "hostname: x <").isAppPage()).isFalse();
    }
}
