package dev.probelab.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The name of the pod (or machine) answering, so a student curling a Service sees which replica it hit. */
final class Hostname {

    private Hostname() {
    }

    /**
     * Kubernetes and Docker set HOSTNAME to the pod/container name; /etc/hostname holds the same.
     * InetAddress comes last: it may ask DNS, which is slow or absent in a sandbox.
     */
    static String of(Map<String, String> env) {
        String fromEnv = env.get("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            String fromFile = Files.readString(Path.of("/etc/hostname")).trim();
            if (!fromFile.isEmpty()) {
                return fromFile;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no such file: fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
