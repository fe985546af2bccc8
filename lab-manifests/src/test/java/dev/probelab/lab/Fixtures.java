package dev.probelab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Test files: the manifests in k8s/, and the bad fixtures under src/test/resources/fixtures. */
final class Fixtures {

    private static final Pattern EXPECT = Pattern.compile("(?m)^#\\s*expect:\\s*(.+?)\\s*$");

    private Fixtures() {
    }

    /** Every k8s/*.yaml (the lab steps; k8s/kind/ holds the cluster set-up, not API objects). */
    static List<Path> manifests() {
        return yamlFiles(ProjectDirs.k8s());
    }

    /** Every *.yaml directly in src/test/resources/fixtures/{@code dir}. */
    static List<Path> fixtures(String dir) {
        return yamlFiles(ProjectDirs.rootAbove(Path.of("")).resolve("lab-manifests/src/test/resources/fixtures").resolve(dir));
    }

    /** A fixture's {@code # expect: ...} line: the text its rejection message must contain. */
    static String expectation(Path fixture) {
        Matcher m = EXPECT.matcher(read(fixture));
        if (!m.find()) {
            throw new IllegalStateException(fixture + " has no '# expect: ...' line");
        }
        return m.group(1);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> yaml = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
            if (yaml.isEmpty()) {
                throw new IllegalStateException("no *.yaml in " + dir);
            }
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
