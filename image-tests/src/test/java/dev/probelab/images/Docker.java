package dev.probelab.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The docker CLI, run as a process: no client library, nothing pulled from outside. */
final class Docker {

    /** One finished docker command. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** stdout, trimmed, if the command succeeded; otherwise an exception that shows stderr. */
        String output() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip());
            }
            return stdout.strip();
        }
    }

    private Docker() {
    }

    static Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("docker-out", ".txt");
            Path err = Files.createTempFile("docker-err", ".txt");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " still running after " + timeout);
                }
                return new Result(command, process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** stdout of a docker command that must succeed within a minute. */
    static String output(String... args) {
        return run(Duration.ofMinutes(1), args).output();
    }

    /** Why Docker cannot be used here, or empty if `docker info` answers. */
    static Optional<String> unavailableReason() {
        try {
            Result info = run(Duration.ofSeconds(20), "info", "--format", "{{.ServerVersion}}");
            if (info.exitCode() == 0) {
                return Optional.empty();
            }
            String[] lines = (info.stderr() + info.stdout()).strip().split("\n");
            return Optional.of("`docker info` exited " + info.exitCode() + ": " + lines[lines.length - 1].strip());
        } catch (RuntimeException e) {
            return Optional.of("`docker info` could not run: " + e.getMessage());
        }
    }
}
