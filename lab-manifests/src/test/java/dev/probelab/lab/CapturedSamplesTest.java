package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The walkthrough's terminal sessions are what a cluster printed: docs/capture-samples.sh runs the
 * walkthrough's commands on a cluster and writes each step's session into docs/samples/; every console
 * block of the walkthrough is quoted from one of those files, in the order the commands ran, trimmed only
 * where a line {@code ...} says so, and every command the script ran is shown. (docs/capture-samples.sh
 * itself checks each answer against what the text says.)
 */
class CapturedSamplesTest {

    private static final Path ROOT = ProjectDirs.root();
    private static final Path SAMPLES = ROOT.resolve("docs/samples");

    /**
     * A sample a cluster printed: {@code <!-- captured: docs/samples/<file> -->} right before its code
     * block, which must stand in that file; a line {@code ...} marks a trim.
     */
    static final Pattern CAPTURED = Pattern.compile("(?ms)<!-- captured: (\\S+) -->\\n```[^\\n]*\\n(.*?)^```[ \\t]*$");
    private static final Pattern MARKER = Pattern.compile("<!-- captured:");
    private static final Pattern MARKER_LINE = Pattern.compile("<!-- captured: \\S+ -->\\n");
    private static final Pattern CONSOLE_BLOCK = Pattern.compile("(?ms)^```console\\n.*?^```[ \\t]*$");
    private static final String TRIM = "...\n";

    static List<Path> walkthroughs() {
        return List.of(ROOT.resolve("docs/lab-walkthrough.md"), ROOT.resolve("docs/lab-walkthrough.ko.md"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walkthroughs")
    void everyConsoleBlockIsACapturedSampleAndEveryMarkerHasItsBlock(Path walkthrough) {
        String text = Fixtures.read(walkthrough);
        List<String> notCaptured = new ArrayList<>();
        Matcher m = CONSOLE_BLOCK.matcher(text);
        while (m.find()) {
            int lineAbove = text.lastIndexOf('\n', m.start() - 2) + 1;
            if (!MARKER_LINE.matcher(text.substring(lineAbove, m.start())).matches()) {
                notCaptured.add(m.group().lines().skip(1).findFirst().orElse(""));
            }
        }
        assertThat(notCaptured).as("console blocks of %s without <!-- captured: ... --> right above", walkthrough.getFileName())
                .isEmpty();
        assertThat(count(MARKER, text)).as("markers of %s with their code block right below", walkthrough.getFileName())
                .isEqualTo(count(CAPTURED, text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walkthroughs")
    void everySampleIsItsCaptureInTheOrderTheCommandsRanTrimmedOnlyWhereItSaysSo(Path walkthrough) {
        List<String> wrong = new ArrayList<>();
        quote(walkthrough, wrong);
        assertThat(wrong).as("samples in %s that are not what the cluster printed", walkthrough.getFileName()).isEmpty();
    }

    @Test
    void everyCaptureIsQuotedAndEveryCommandItRanIsShown() {
        List<String> wrong = new ArrayList<>();
        Map<String, Quoted> quoted = quote(walkthroughs().get(0), wrong);
        for (String file : captureFiles()) {
            Quoted q = quoted.get(file);
            if (q == null) {
                wrong.add(file + ": not quoted in the walkthrough");
                continue;
            }
            int at = 0;
            for (String line : q.capture.split("\n", -1)) {
                if (line.startsWith("$ ") && !q.covers(at)) {
                    wrong.add(file + ": " + line);
                }
                at += line.length() + 1;
            }
        }
        assertThat(wrong).as("captures and commands of docs/capture-samples.sh the walkthrough does not show").isEmpty();
    }

    @Test
    void aSampleMayBeTrimmedWhereItSaysSoButNotChanged() {
        String captured = "$ kubectl get pods\nNAME READY\npod-1 1/1\npod-2 0/1\n$ kubectl logs x\nline\n";
        assertThat(check(captured, "$ kubectl get pods\n...\npod-2 0/1\n")).isEmpty();
        assertThat(check(captured, "$ kubectl get pods\nNAME READY\n...\n")).as("a trim at the end, marked").isEmpty();
        assertThat(check(captured, "...\npod-2 0/1\n$ kubectl logs x\nline\n")).as("a trim at the start, marked").isEmpty();
        assertThat(check(captured, "$ kubectl get pods\npod-2 0/1\n")).containsExactly("f: $ kubectl get pods");
        assertThat(check(captured, "pod-2 0/1\n...\npod-1 1/1\n")).contains("f: pod-1 1/1");
        assertThat(check(captured, "$ kubectl get pods\nNAME READY\n")).as("a silent trim at the end")
                .containsExactly("f: $ kubectl get pods ... (cut short without '...')");
        assertThat(check(captured, "pod-2 0/1\n")).as("a silent trim at the start")
                .containsExactly("f: pod-2 0/1 (starts inside a command's output without '...')");
        assertThat(check(captured, "READY\n...\n")).as("a part starts at a line's start").contains("f: READY");
    }

    @Test
    void twoSamplesOfOneFileMustComeInTheOrderTheyWereCaptured() {
        Quoted q = new Quoted("$ a\n1\n$ b\n2\n");
        List<String> wrong = new ArrayList<>();
        q.find("$ b\n2\n", "f", wrong);
        q.find("$ a\n1\n", "f", wrong);
        assertThat(wrong).containsExactly("f: $ a");
    }

    /** Finds every captured sample of the document in its capture; adds what is wrong to {@code wrong}. */
    private static Map<String, Quoted> quote(Path doc, List<String> wrong) {
        Map<String, Quoted> quoted = new HashMap<>();
        Matcher m = CAPTURED.matcher(Fixtures.read(doc));
        while (m.find()) {
            String file = m.group(1);
            Path capture = ROOT.resolve(file);
            if (!Files.exists(capture)) {
                wrong.add(file + ": no such file");
                continue;
            }
            quoted.computeIfAbsent(file, f -> new Quoted(Fixtures.read(capture))).find(m.group(2), file, wrong);
        }
        return quoted;
    }

    private static List<String> check(String captured, String sample) {
        List<String> wrong = new ArrayList<>();
        new Quoted(captured).find(sample, "f", wrong);
        return wrong;
    }

    /** One capture file, the parts of it the samples quote so far, and where the next sample may start. */
    private static final class Quoted {
        final String capture;
        private final TreeSet<int[]> parts = new TreeSet<>((a, b) -> Integer.compare(a[0], b[0]));
        private int readUpTo;

        Quoted(String capture) {
            this.capture = capture;
        }

        /**
         * Finds the parts of {@code sample} (split at lines "...") in the capture, in order, after the previous
         * sample. A sample starts with a command unless it starts with "...", and ends where a command's
         * output ends unless it ends with "...".
         */
        void find(String sample, String name, List<String> wrong) {
            String first = sample.lines().findFirst().orElse("");
            if (!sample.startsWith("$ ") && !sample.startsWith(TRIM)) {
                wrong.add(name + ": " + first + " (starts inside a command's output without '...')");
            }
            int from = readUpTo;
            for (String part : sample.split("(?m)^\\.\\.\\.\\n")) {
                if (part.isEmpty()) {
                    continue;
                }
                int at = capture.indexOf(part, from);
                while (at > 0 && capture.charAt(at - 1) != '\n') {
                    at = capture.indexOf(part, at + 1);
                }
                if (at < 0) {
                    wrong.add(name + ": " + part.lines().findFirst().orElse(""));
                    return;
                }
                parts.add(new int[] {at, at + part.length()});
                from = at + part.length();
            }
            if (!sample.endsWith(TRIM) && from < capture.length() && !capture.startsWith("$ ", from)) {
                wrong.add(name + ": " + first + " ... (cut short without '...')");
            }
            readUpTo = from;
        }

        boolean covers(int offset) {
            int[] part = parts.floor(new int[] {offset, 0});
            return part != null && offset < part[1];
        }
    }

    private static List<String> captureFiles() {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            return files.map(f -> ROOT.relativize(f).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(Pattern pattern, String text) {
        return (int) pattern.matcher(text).results().count();
    }
}
