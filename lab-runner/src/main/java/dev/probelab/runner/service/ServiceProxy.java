package dev.probelab.runner.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Service port on localhost, forwarding raw TCP to the Service's ready pods only, round robin,
 * as kube-proxy does with an EndpointSlice's ready endpoints. With no ready pod the listening socket
 * is closed, so a client gets "Connection refused", as from a LoadBalancer with no ready endpoint.
 * Connections already open stay open when their pod turns unready (conntrack keeps them too).
 */
public final class ServiceProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final int port;
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<InetSocketAddress> endpoints = List.of();
    private ServerSocket listener;
    private Thread acceptor;
    private boolean closed;

    private ServiceProxy(int port) {
        this.port = port;
    }

    /**
     * Reserves a port on 127.0.0.1: {@code wanted} if it can be bound (port 80 needs root), else the
     * first free one from 8080 up; 0 picks any free port. Starts with no ready pod: closed, so the
     * port is free when checked but not held (another process may take it meanwhile).
     */
    public static ServiceProxy reserve(int wanted, boolean fallBack) throws IOException {
        if (wanted == 0) {
            try (ServerSocket s = bind(0)) {
                return new ServiceProxy(s.getLocalPort());
            }
        }
        IOException first = null;
        for (int candidate = wanted; candidate < (fallBack ? Math.max(wanted, 8080) + 100 : wanted + 1); ) {
            try (ServerSocket s = bind(candidate)) {
                return new ServiceProxy(s.getLocalPort());
            } catch (IOException e) {
                first = first == null ? e : first;
            }
            candidate = candidate < 8080 ? 8080 : candidate + 1;
        }
        throw first;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return s;
    }

    public int port() {
        return port;
    }

    /** The ready pods' addresses changed: open the port when there is one, close it when there is none. */
    public synchronized void update(List<InetSocketAddress> ready) {
        endpoints = List.copyOf(ready);
        if (closed) {
            return;
        }
        if (!ready.isEmpty() && listener == null) {
            try {
                listener = bind(port);
            } catch (IOException e) {
                System.err.println("lab: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
                return;
            }
            ServerSocket accepting = listener;
            acceptor = new Thread(() -> acceptLoop(accepting), "service-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        } else if (ready.isEmpty() && listener != null) {
            stopListening();
        }
    }

    /**
     * Closes the listening socket and waits for the accepting thread: the JDK closes the socket for
     * good only once a thread blocked in accept() has woken up, and until then it still accepts.
     */
    private void stopListening() {
        closeQuietly(listener);
        listener = null;
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        acceptor = null;
    }

    public synchronized boolean listening() {
        return listener != null;
    }

    private void acceptLoop(ServerSocket accepting) {
        while (!accepting.isClosed()) {
            Socket client;
            try {
                client = accepting.accept();
            } catch (IOException e) {
                return; // closed: no ready pod any more, or the run ends
            }
            Thread t = new Thread(() -> forward(client), "service-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void forward(Socket client) {
        List<InetSocketAddress> targets = endpoints;
        if (targets.isEmpty()) {
            closeQuietly(client);
            return;
        }
        InetSocketAddress target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
        Socket upstream = new Socket();
        try {
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(upstream);
            closeQuietly(client);
            return;
        }
        AtomicInteger directionsOpen = new AtomicInteger(2);
        Thread back = new Thread(() -> pump(upstream, client, directionsOpen), "service-pump");
        back.setDaemon(true);
        back.start();
        pump(client, upstream, directionsOpen);
    }

    /** Copies one direction; EOF half-closes the other side; both done (or an error) closes both. */
    private static void pump(Socket from, Socket to, AtomicInteger directionsOpen) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
            if (directionsOpen.decrementAndGet() > 0) {
                return;
            }
        } catch (IOException e) {
            // a reset on either side ends the connection
        }
        closeQuietly(from);
        closeQuietly(to);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (listener != null) {
            stopListening();
        }
    }
}
