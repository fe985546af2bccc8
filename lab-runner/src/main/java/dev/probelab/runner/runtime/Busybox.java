package dev.probelab.runner.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The busybox image's commands, run on this machine. With a `busybox` binary, every applet
 * (sh, cat, touch, sleep...) is a symlink in one directory put first on PATH, so a failed `cat`
 * says exactly what it says in the image; without it, the system's sh and tools run instead.
 */
public final class Busybox {

    private final Path binary;
    private final Path applets;

    private Busybox(Path binary, Path applets) {
        this.binary = binary;
        this.applets = applets;
    }

    /** Finds busybox on PATH and links its applets under {@code workDir}; empty if there is none. */
    public static Optional<Busybox> find(Path workDir) {
        Optional<Path> binary = onPath("busybox");
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process list = new ProcessBuilder(binary.get().toString(), "--list").redirectErrorStream(true).start();
            List<String> names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(s -> s.matches("[A-Za-z0-9_.\\[\\]-]+")).toList();
            list.waitFor(5, TimeUnit.SECONDS);
            Path applets = Files.createDirectories(workDir.resolve("busybox-applets"));
            for (String name : names) {
                Path link = applets.resolve(name);
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, binary.get());
                }
            }
            return Optional.of(new Busybox(binary.get(), applets));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public Path binary() {
        return binary;
    }

    /** PATH with the applets first. */
    public String path(String systemPath) {
        return applets + (systemPath == null || systemPath.isEmpty() ? "" : File.pathSeparator + systemPath);
    }

    /**
     * The applet for a command: "cat" or the image's "/bin/sh". Java looks a bare name up on its own
     * PATH, not the child's, so the applet's path is given explicitly.
     */
    public String command(String command) {
        Path name = Path.of(command).getFileName();
        if (name != null && (command.startsWith("/") || !command.contains("/"))) {
            Path applet = applets.resolve(name.toString());
            if (Files.exists(applet)) {
                return applet.toString();
            }
        }
        return command;
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static List<String> withApplets(Busybox busybox, List<String> argv) {
        List<String> out = new ArrayList<>(argv);
        if (busybox != null && !out.isEmpty()) {
            out.set(0, busybox.command(out.get(0)));
        }
        return out;
    }
}
