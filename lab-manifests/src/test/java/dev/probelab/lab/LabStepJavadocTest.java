package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.probelab.lab.LabStepJavadoc.ProbeClaim;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The javadoc reader finds what LabStep's javadoc says (so LabStepManifestTest compares against something). */
class LabStepJavadocTest {

    private final Map<LabStep, LabStepJavadoc.StepClaim> claims = LabStepJavadoc.read();

    @Test
    void readsEveryStep() {
        assertThat(claims).containsOnlyKeys(LabStep.values());
        claims.forEach((step, claim) -> assertThat(claim.probes()).as("%s", step).isNotEmpty());
    }

    @Test
    void readsHandlersAndNumbersPerProbe() {
        assertThat(claims.get(LabStep.LIVENESS_HTTP).probes()).containsExactlyEntriesOf(Map.of("livenessProbe",
                new ProbeClaim("httpGet", Map.of("initialDelaySeconds", 3, "periodSeconds", 3, "failureThreshold", 3))));
        assertThat(claims.get(LabStep.LIVENESS_EXEC).probes()).containsExactlyEntriesOf(Map.of("livenessProbe",
                new ProbeClaim("exec", Map.of("initialDelaySeconds", 5, "periodSeconds", 5))));
        assertThat(claims.get(LabStep.STARTUP_LIVENESS_ONLY).probes()).containsExactlyEntriesOf(Map.of("livenessProbe",
                new ProbeClaim(null, Map.of("initialDelaySeconds", 3, "periodSeconds", 3, "failureThreshold", 2))));
        assertThat(claims.get(LabStep.TCP_SOCKET).probes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "readinessProbe", new ProbeClaim("tcpSocket", Map.of("initialDelaySeconds", 5, "periodSeconds", 5)),
                "livenessProbe", new ProbeClaim("tcpSocket", Map.of("initialDelaySeconds", 15, "periodSeconds", 10))));
    }

    @Test
    void theSameLivenessProbeIsThePreviousSteps() {
        assertThat(claims.get(LabStep.STARTUP_PROBE).probes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "livenessProbe", claims.get(LabStep.STARTUP_LIVENESS_ONLY).probes().get("livenessProbe"),
                "startupProbe", new ProbeClaim(null, Map.of("periodSeconds", 10, "failureThreshold", 10))));
    }
}
