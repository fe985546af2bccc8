package dev.probelab.images;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the image tests only where `docker info` answers; elsewhere they are skipped and one
 * line says so (checked once per test run). With {@code -Dimage.tests.required=true} (CI) a
 * missing Docker fails them instead: a CI run that skipped them would prove nothing.
 */
public final class DockerAvailable implements ExecutionCondition {

    private static final ConditionEvaluationResult RESULT = check();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return RESULT;
    }

    private static ConditionEvaluationResult check() {
        Optional<String> problem = Docker.unavailableReason();
        if (problem.isEmpty()) {
            return ConditionEvaluationResult.enabled("docker info answered");
        }
        String line = "image-tests SKIPPED: no usable Docker here (" + problem.get() + "); the container images were not tested";
        System.out.println(line);
        if (Boolean.getBoolean("image.tests.required")) {
            throw new IllegalStateException("image.tests.required is set but there is no usable Docker: " + problem.get());
        }
        return ConditionEvaluationResult.disabled(line);
    }
}
