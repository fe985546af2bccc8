package dev.probelab.lab;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each LabStep constant's javadoc says about its manifest, read from LabStep.java: the file
 * name, and for each probe (liveness, readiness, startup) its handler and numbers. The javadoc is
 * written in a small fixed vocabulary: a handler word (exec, httpGet, tcpSocket) before a probe word
 * (liveness, readiness, startupProbe), then "initialDelay N", "period N", "failureThreshold N"
 * belonging to the last probe word; "the same liveness probe" takes the previous step's.
 */
final class LabStepJavadoc {

    /** A probe as the javadoc describes it; null handler: the javadoc does not say. */
    record ProbeClaim(String handler, Map<String, Integer> numbers) {
    }

    /** One step's javadoc: its manifest file, its probes by field name (livenessProbe...), its text. */
    record StepClaim(String manifest, Map<String, ProbeClaim> probes, String text) {
    }

    private static final Path SOURCE = Path.of("lab-manifests/src/main/java/dev/probelab/lab/LabStep.java");
    private static final Pattern CONSTANT = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*([A-Z][A-Z_]*)\\(", Pattern.DOTALL);
    private static final Pattern FILE = Pattern.compile("^k8s/([\\w.-]+\\.yaml):\\s*");
    private static final Pattern TOKEN = Pattern.compile(
            "\\b(exec|httpGet|tcpSocket|grpc|liveness|readiness|startupProbe|initialDelay|period|failureThreshold|successThreshold|timeout)\\b(?![-\\w])(?:\\s+(\\d+))?");
    private static final Map<String, String> PROBE_WORDS = Map.of(
            "liveness", "livenessProbe", "readiness", "readinessProbe", "startupProbe", "startupProbe");
    private static final Map<String, String> NUMBER_WORDS = Map.of(
            "initialDelay", "initialDelaySeconds", "period", "periodSeconds", "failureThreshold", "failureThreshold",
            "successThreshold", "successThreshold", "timeout", "timeoutSeconds");

    private LabStepJavadoc() {
    }

    static Map<LabStep, StepClaim> read() {
        String source = Fixtures.read(ProjectDirs.root().resolve(SOURCE));
        Map<LabStep, StepClaim> claims = new EnumMap<>(LabStep.class);
        Matcher constant = CONSTANT.matcher(source);
        StepClaim previous = null;
        while (constant.find()) {
            LabStep step = LabStep.valueOf(constant.group(2));
            String text = constant.group(1).replaceAll("(?m)^\\s*\\*", " ").replaceAll("<[^>]+>", "")
                    .replaceAll("\\s+", " ").trim();
            StepClaim claim = parse(step, text, previous);
            claims.put(step, claim);
            previous = claim;
        }
        if (claims.size() != LabStep.values().length) {
            throw new IllegalStateException("found the javadoc of " + claims.keySet() + " only, in " + SOURCE);
        }
        return claims;
    }

    private static StepClaim parse(LabStep step, String text, StepClaim previous) {
        Matcher file = FILE.matcher(text);
        if (!file.find()) {
            throw new IllegalStateException(step + "'s javadoc does not start with k8s/<file>.yaml: " + text);
        }
        String rest = text.substring(file.end());
        Map<String, String> handlers = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> numbers = new LinkedHashMap<>();
        String handler = null;
        String probe = null;
        Matcher token = TOKEN.matcher(rest);
        while (token.find()) {
            String word = token.group(1);
            if (PROBE_WORDS.containsKey(word)) {
                probe = PROBE_WORDS.get(word);
                numbers.putIfAbsent(probe, new LinkedHashMap<>());
                if (handler != null) {
                    handlers.putIfAbsent(probe, handler);
                }
            } else if (NUMBER_WORDS.containsKey(word) && token.group(2) != null) {
                if (probe == null) {
                    throw new IllegalStateException(step + "'s javadoc gives " + word + " before naming a probe: " + text);
                }
                numbers.get(probe).put(NUMBER_WORDS.get(word), Integer.parseInt(token.group(2)));
            } else if (!NUMBER_WORDS.containsKey(word)) {
                handler = word;
            }
        }
        Map<String, ProbeClaim> probes = new LinkedHashMap<>();
        numbers.forEach((p, n) -> probes.put(p, new ProbeClaim(handlers.get(p), Map.copyOf(n))));
        Matcher same = Pattern.compile("the same (liveness|readiness) probe").matcher(rest);
        while (same.find()) {
            String p = PROBE_WORDS.get(same.group(1));
            if (previous == null || !previous.probes().containsKey(p)) {
                throw new IllegalStateException(step + " says 'the same " + same.group(1) + " probe' but the step before has none");
            }
            probes.put(p, previous.probes().get(p));
        }
        return new StepClaim(file.group(1), Map.copyOf(probes), text);
    }
}
