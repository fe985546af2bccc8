package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The walkthrough's terminal sessions are what a cluster printed: docs/capture-samples.sh runs the
 * walkthrough's commands on a cluster and writes each step's session into docs/samples/; every console
 * block of the walkthrough is quoted from one of those files, in the order the commands ran, and every
 * command the script ran stands in the walkthrough. (docs/capture-samples.sh itself checks each answer
 * against what the text says.)
 */
class CapturedSamplesTest {

    private static final Path ROOT = ProjectDirs.root();

    /**
     * A sample a cluster printed: {@code <!-- captured: docs/samples/<file> -->} right before its code
     * block, which must stand in that file; a line {@code ...} marks a trim.
     */
    static final Pattern CAPTURED = Pattern.compile("(?ms)<!-- captured: (\\S+) -->\\s*\\n```[^\\n]*\\n(.*?)^```[ \\t]*$");
    private static final Pattern CONSOLE_BLOCK = Pattern.compile("(?ms)^```console\\n.*?^```[ \\t]*$");
    private static final Pattern TRIM = Pattern.compile("(?m)^\\.\\.\\.\\n");

    static List<Path> walkthroughs() {
        return List.of(ROOT.resolve("docs/lab-walkthrough.md"), ROOT.resolve("docs/lab-walkthrough.ko.md"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walkthroughs")
    void everyConsoleBlockIsACapturedSample(Path walkthrough) {
        String text = Fixtures.read(walkthrough);
        List<String> notCaptured = new ArrayList<>();
        Matcher m = CONSOLE_BLOCK.matcher(text);
        while (m.find()) {
            if (!text.substring(0, m.start()).matches("(?s).*<!-- captured: \\S+ -->\\s*\\n$")) {
                notCaptured.add(m.group().lines().skip(1).findFirst().orElse(""));
            }
        }
        assertThat(notCaptured).as("console blocks of %s without <!-- captured: ... -->", walkthrough.getFileName()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walkthroughs")
    void everySampleStandsInItsCaptureInTheOrderTheCommandsRan(Path walkthrough) {
        Map<String, Integer> readUpTo = new HashMap<>();
        List<String> notCaptured = new ArrayList<>();
        for (Sample sample : samples(walkthrough)) {
            Path capture = ROOT.resolve(sample.file());
            if (!Files.exists(capture)) {
                notCaptured.add(sample.file() + ": no such file");
                continue;
            }
            readUpTo.put(sample.file(), find(Fixtures.read(capture), sample.text(), readUpTo.getOrDefault(sample.file(), 0),
                    sample.file(), notCaptured));
        }
        assertThat(notCaptured).as("samples in %s that are not what the cluster printed, in that order", walkthrough.getFileName()).isEmpty();
    }

    @Test
    void everyCommandTheCaptureRanStandsInTheWalkthrough() {
        Map<String, StringBuilder> quoted = new HashMap<>();
        samples(walkthroughs().get(0)).forEach(s -> quoted.computeIfAbsent(s.file(), f -> new StringBuilder()).append(s.text()));
        List<String> unshown = new ArrayList<>();
        quoted.forEach((file, samples) -> Fixtures.read(ROOT.resolve(file)).lines()
                .filter(line -> line.startsWith("$ ") && !samples.toString().contains(line + "\n"))
                .forEach(line -> unshown.add(file + ": " + line)));
        assertThat(unshown).as("commands docs/capture-samples.sh ran that the walkthrough does not show").isEmpty();
    }

    @Test
    void aSampleMayBeTrimmedButNotChanged() {
        String captured = "$ kubectl get pods\nNAME READY\npod-1 1/1\npod-2 0/1\n";
        assertThat(missing(captured, "$ kubectl get pods\n...\npod-2 0/1\n")).isEmpty();
        assertThat(missing(captured, "$ kubectl get pods\npod-2 0/1\n")).containsExactly("f: $ kubectl get pods");
        assertThat(missing(captured, "pod-2 0/1\n...\npod-1 1/1\n")).containsExactly("f: pod-1 1/1");
        assertThat(missing(captured, "READY\n")).as("a part starts at a line's start").containsExactly("f: READY");
    }

    @Test
    void twoSamplesOfOneFileMustComeInTheOrderTheyWereCaptured() {
        String captured = "$ a\n1\n$ b\n2\n";
        List<String> missing = new ArrayList<>();
        int end = find(captured, "$ b\n2\n", 0, "f", missing);
        find(captured, "$ a\n1\n", end, "f", missing);
        assertThat(missing).containsExactly("f: $ a");
    }

    /** A captured sample: the file it was captured into, and its text as the document quotes it. */
    private record Sample(String file, String text) {
    }

    /** The document's captured samples, in order. */
    private static List<Sample> samples(Path doc) {
        List<Sample> samples = new ArrayList<>();
        Matcher m = CAPTURED.matcher(Fixtures.read(doc));
        while (m.find()) {
            samples.add(new Sample(m.group(1), m.group(2)));
        }
        return samples;
    }

    /**
     * Finds the parts of {@code sample} (split at lines "...") in {@code captured}, in order, from
     * {@code from}; adds those not found to {@code missing}. Returns where the last found part ends.
     */
    static int find(String captured, String sample, int from, String name, List<String> missing) {
        for (String part : TRIM.split(sample)) {
            if (part.isBlank()) {
                continue;
            }
            int at = captured.indexOf(part, from);
            while (at > 0 && captured.charAt(at - 1) != '\n') {
                at = captured.indexOf(part, at + 1);
            }
            if (at < 0) {
                missing.add(name + ": " + part.lines().findFirst().orElse(""));
            } else {
                from = at + part.length();
            }
        }
        return from;
    }

    private static List<String> missing(String captured, String sample) {
        List<String> missing = new ArrayList<>();
        find(captured, sample, 0, "f", missing);
        return missing;
    }
}
