package dev.probelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The user-facing documents (the *.md files at the root and in docs/): an English document and its
 * Korean twin (X.md and X.ko.md) carry the same code blocks and captured samples and link to each
 * other; every repository path, relative link and in-page anchor they name exists.
 */
class DocsTest {

    private static final Path ROOT = ProjectDirs.root();

    /** A fenced code block, from its opening ``` line to its closing one. */
    private static final Pattern CODE_BLOCK = Pattern.compile("(?ms)^```[^\\n]*\\n.*?^```[ \\t]*$");
    private static final Pattern URL = Pattern.compile("\\b[a-z][a-z0-9+.-]*://\\S+");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");

    static List<Path> docs() {
        List<Path> docs = new ArrayList<>();
        for (Path dir : List.of(ROOT, ROOT.resolve("docs"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().forEach(docs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return docs;
    }

    /** Every X.ko.md, the Korean twin of X.md. */
    static List<Path> koreanTwins() {
        return docs().stream().filter(f -> f.getFileName().toString().endsWith(".ko.md")).toList();
    }

    private static Path englishOf(Path korean) {
        return korean.resolveSibling(korean.getFileName().toString().replaceFirst("\\.ko\\.md$", ".md"));
    }

    @Test
    void theWalkthroughAndTheReadmeHaveKoreanTwins() {
        assertThat(koreanTwins()).contains(ROOT.resolve("README.ko.md"), ROOT.resolve("docs/lab-walkthrough.ko.md"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("koreanTwins")
    void aKoreanTwinHasTheSameCodeBlocksAndCapturedSamplesAsItsEnglishDocument(Path korean) {
        Path english = englishOf(korean);
        assertThat(english).exists();
        String en = Fixtures.read(english);
        String ko = Fixtures.read(korean);
        List<String> enBlocks = all(CODE_BLOCK, en);
        List<String> koBlocks = all(CODE_BLOCK, ko);
        assertThat(koBlocks).as("code blocks of %s, in order, as in %s", korean.getFileName(), english.getFileName())
                .hasSameSizeAs(enBlocks);
        for (int i = 0; i < enBlocks.size(); i++) {
            assertThat(koBlocks.get(i)).as("code block %d of %s", i + 1, korean.getFileName()).isEqualTo(enBlocks.get(i));
        }
        assertThat(all(CapturedSamplesTest.CAPTURED, ko)).as("captured samples of %s", korean.getFileName())
                .isEqualTo(all(CapturedSamplesTest.CAPTURED, en));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("koreanTwins")
    void aKoreanTwinAndItsEnglishDocumentLinkToEachOther(Path korean) {
        Path english = englishOf(korean);
        assertThat(links(Fixtures.read(korean))).contains(english.getFileName().toString());
        assertThat(links(Fixtures.read(english))).contains(korean.getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("docs")
    void everyRepositoryPathTheDocumentNamesExists(Path doc) {
        assertThat(repositoryPaths(Fixtures.read(doc)).stream().filter(p -> !Files.exists(ROOT.resolve(p))))
                .as("paths named in %s that do not exist", ROOT.relativize(doc)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("docs")
    void everyRelativeLinkAndAnchorResolves(Path doc) {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (String link : links(Fixtures.read(doc))) {
            if (URL.matcher(link).lookingAt() || link.startsWith("mailto:")) {
                continue;
            }
            int hash = link.indexOf('#');
            String file = hash < 0 ? link : link.substring(0, hash);
            Path target = file.isEmpty() ? doc : doc.resolveSibling(file).normalize();
            if (!Files.exists(target)) {
                broken.add(link);
            } else if (hash >= 0 && target.toString().endsWith(".md")
                    && !anchors.computeIfAbsent(target, t -> anchors(Fixtures.read(t))).contains(link.substring(hash + 1))) {
                broken.add(link);
            }
        }
        assertThat(broken).as("broken links in %s", ROOT.relativize(doc)).isEmpty();
    }

    @Test
    void theCheckersSeeWhatTheyShould() {
        assertThat(repositoryPaths("""
                Run `k8s/kind/create-cluster.sh`, then ./lab-runner/pom.xml; see https://example.org/docs/user/x and
                k8s/<step>.yaml, liveness-app/target/liveness-app.jar, probe-lab/liveness-app:1.0.0.
                """)).containsExactly("k8s/kind/create-cluster.sh", "lab-runner/pom.xml", "k8s/");
        assertThat(anchors("# Probe 실습 따라하기 (kind 또는 minikube)\n## The Service's address: `lb_addr`\n## 5.1 Liveness probe, example 1: httpGet (`k8s/liveness1.yaml`)\n"))
                .contains("probe-실습-따라하기-kind-또는-minikube", "the-services-address-lb_addr",
                        "51-liveness-probe-example-1-httpget-k8sliveness1yaml");
    }

    /**
     * Paths under one of the repository's top-level directories, named anywhere in the text outside
     * URLs; build outputs (target/) and templated parts ({@code <step>}) are left out.
     */
    static Set<String> repositoryPaths(String markdown) {
        String text = URL.matcher(markdown).replaceAll(" ");
        String tops = topLevelDirectories().stream().map(Pattern::quote).collect(Collectors.joining("|"));
        Matcher m = Pattern.compile("(?<![\\w./-])(?:\\./)?((?:" + tops + ")/[\\w./-]*)").matcher(text);
        Set<String> paths = new LinkedHashSet<>();
        while (m.find()) {
            String path = m.group(1).replaceAll("[.,]+$", "");
            if (!path.contains("/target/")) {
                paths.add(path);
            }
        }
        return paths;
    }

    private static Set<String> topLevelDirectories() {
        try (Stream<Path> files = Files.list(ROOT)) {
            return files.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(".git") && !n.equals("target"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> links(String markdown) {
        return all(LINK, CODE_BLOCK.matcher(markdown).replaceAll("")).stream()
                .map(l -> l.substring(2, l.length() - 1)).toList();
    }

    /** The anchors GitHub gives the headings: lower case, no punctuation, spaces as hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = HEADING.matcher(CODE_BLOCK.matcher(markdown).replaceAll(""));
        while (m.find()) {
            String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
