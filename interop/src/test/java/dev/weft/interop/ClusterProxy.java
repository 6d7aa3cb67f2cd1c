package dev.weft.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A TCP proxy in front of several nodes, the way a load balancer stands in front of a cluster: one loopback
 * front port per node. A connection to front port {@code i} goes to node {@code i} while that node is routed,
 * else to the next routed node in turn, so clients spread over the nodes by the port they are given and,
 * when their node is {@linkplain #cut cut}, reconnect through the same port to a surviving one.
 *
 * <p>Bounded: at most {@link #MAX_CONNECTIONS} open connections (more are closed at once); each connection
 * is two virtual threads copying bytes. It stops by itself after {@code lifetime} even if a test forgets
 * {@link #close()}. Thread-safe.
 */
final class ClusterProxy implements AutoCloseable {

    static final int MAX_CONNECTIONS = 256;

    private final List<Integer> backendPorts;
    private final List<ServerSocket> fronts = new ArrayList<>();
    private final Set<Integer> routed = ConcurrentHashMap.newKeySet();
    /** Open connections, each with the node it goes to. */
    private final ConcurrentHashMap<Socket, Integer> connections = new ConcurrentHashMap<>();
    private final AtomicInteger nextFallback = new AtomicInteger();
    /** Connections accepted per node since the start, for the test's figures. */
    private final AtomicIntegerArray accepted;
    private volatile boolean closed;
    private volatile Thread lifetimeWatch;

    private ClusterProxy(List<Integer> backendPorts) {
        this.backendPorts = List.copyOf(backendPorts);
        this.accepted = new AtomicIntegerArray(backendPorts.size());
    }

    /** Listens on one ephemeral loopback port per backend; every backend starts routed. */
    static ClusterProxy start(List<Integer> backendPorts, Duration lifetime) throws IOException {
        ClusterProxy proxy = new ClusterProxy(backendPorts);
        try {
            for (int i = 0; i < backendPorts.size(); i++) {
                ServerSocket front = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                proxy.fronts.add(front);
                proxy.routed.add(i);
                int preferred = i;
                Thread.ofVirtual().name("proxy-accept-" + i).start(() -> proxy.acceptLoop(front, preferred));
            }
        } catch (IOException e) {
            proxy.close();
            throw e;
        }
        proxy.lifetimeWatch = Thread.ofVirtual().name("proxy-lifetime").start(() -> {
            try {
                Thread.sleep(lifetime);
            } catch (InterruptedException e) {
                return;
            }
            proxy.close();
        });
        return proxy;
    }

    /** The front port whose connections prefer node {@code node}. */
    int frontPort(int node) {
        return fronts.get(node).getLocalPort();
    }

    /** Closes every connection to {@code node} and routes no new one to it. */
    void cut(int node) {
        routed.remove(node);
        connections.forEach((socket, target) -> {
            if (target == node) {
                closeQuietly(socket);
            }
        });
    }

    /** Routes new connections to {@code node} again (after it was started again). */
    void restore(int node) {
        routed.add(node);
    }

    /** How many connections went to {@code node} since the start. */
    int acceptedBy(int node) {
        return accepted.get(node);
    }

    private void acceptLoop(ServerSocket front, int preferred) {
        while (!closed) {
            Socket client;
            try {
                client = front.accept();
            } catch (IOException e) {
                return; // closed
            }
            Integer node = pick(preferred);
            if (node == null || connections.size() >= MAX_CONNECTIONS) {
                closeQuietly(client); // nowhere to go: the client sees a refused handshake and retries
                continue;
            }
            Thread.ofVirtual().name("proxy-connect-" + node).start(() -> open(client, node));
        }
    }

    private Integer pick(int preferred) {
        if (routed.contains(preferred)) {
            return preferred;
        }
        int n = backendPorts.size();
        int start = Math.floorMod(nextFallback.getAndIncrement(), n);
        for (int k = 0; k < n; k++) {
            int candidate = (start + k) % n;
            if (routed.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private void open(Socket client, int node) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backendPorts.get(node)), 2000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        connections.put(client, node);
        connections.put(upstream, node);
        accepted.incrementAndGet(node);
        // A cut between the pick and here must not leave a connection to the cut node behind.
        if (closed || !routed.contains(node)) {
            closeBoth(client, upstream);
            return;
        }
        Thread.ofVirtual().name("proxy-up-" + node).start(() -> pump(client, upstream));
        Thread.ofVirtual().name("proxy-down-" + node).start(() -> pump(upstream, client));
    }

    /** Copies {@code from} to {@code to} until either side ends; then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // a side closed or was cut: the other must see it too
        } finally {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        connections.remove(a);
        connections.remove(b);
        closeQuietly(a);
        closeQuietly(b);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing is best effort; the socket is gone either way
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread watch = lifetimeWatch;
        if (watch != null && watch != Thread.currentThread()) {
            watch.interrupt();
        }
        fronts.forEach(ClusterProxy::closeQuietly);
        connections.keySet().forEach(ClusterProxy::closeQuietly);
        connections.clear();
    }
}
