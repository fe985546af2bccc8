package dev.probelab.runner.kubelet;

import java.util.List;

/** A probe's one handler, with ports already resolved to container port numbers. */
public sealed interface ProbeHandler {

    /** httpGet: {@code host} null means the pod's address. */
    record HttpGet(String scheme, String host, int port, String path, List<Header> headers) implements ProbeHandler {
    }

    record TcpSocket(String host, int port) implements ProbeHandler {
    }

    record Exec(List<String> command) implements ProbeHandler {
    }

    record Header(String name, String value) {
    }
}
