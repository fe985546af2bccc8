package dev.probelab.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input through the CLI entry point: one line on stderr naming the file and the field,
 * a non-zero exit, nothing started (stdout stays empty: not even the runtime line).
 */
class BadInputTest {

    private static final String BAD = "src/test/resources/bad/";

    private record Outcome(int exit, String out, String err) {
    }

    private static Outcome lab(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LabCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "misplaced-field.yaml   | 2 | unknown field spec.template.spec.containers[0].startupProbe.httpGet.periodSeconds",
            "unknown-field.yaml     | 2 | unknown field spec.containers[0].livenessProbe.initialDelaySecond",
            "no-handler.yaml        | 2 | container liveness2 livenessProbe: must have exactly one handler",
            "success-threshold.yaml | 2 | livenessProbe: successThreshold must be 1",
            "unsupported-kind.yaml  | 2 | StatefulSet nodeapp: kind StatefulSet is not supported by the local runner",
            "grpc-probe.yaml        | 2 | spec.containers[0].livenessProbe.grpc: not supported by the local runner",
            "undeclared-probe-port.yaml  | 2 | Pod undeclared: spec.containers[0].readinessProbe.tcpSocket.port: port 9090 is not a containerPort",
            "undeclared-target-port.yaml | 2 | Service nodeapp-lb: spec.ports[0].targetPort: port 9090 is not a containerPort",
            "does-not-exist.yaml    | 2 | does-not-exist.yaml: no such file",
            "foreign-image.yaml     | 1 | container web: image nginx:1.27 runs only with Docker",
    })
    void oneLineNamingFileAndFieldAndNothingStarted(String file, int exit, String message) {
        assertOneLineAndNothingStarted(lab("--runtime", "local", BAD + file), exit, "lab: " + BAD + file + ": ", message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--env FAIL_AFTER  | --env FAIL_AFTER: expected NAME=VALUE",
            "--for soon        | --for soon: expected a duration",
            "--summary yaml    | --summary: only json is supported",
            "--runtime podman  | --runtime: auto, docker or local",
            "--bogus x         | Unknown options: '--bogus'",
    })
    void badOptionsAreOneLineToo(String option, String message) {
        String[] parts = option.trim().split(" ");
        assertOneLineAndNothingStarted(lab(parts[0], parts[1], "../k8s/liveness1.yaml"), 2, "lab: " + message, "");
    }

    private static void assertOneLineAndNothingStarted(Outcome o, int exit, String start, String message) {
        assertThat(o.exit).isEqualTo(exit);
        assertThat(o.err.lines()).singleElement().asString().startsWith(start).contains(message);
        assertThat(o.out).as("nothing started").isEmpty();
    }
}
