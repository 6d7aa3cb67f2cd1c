package dev.weft.core.control;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Control buses within one process: the memory and sqlite engines run a single node on a network of its own
 * (nothing to reach), and tests put several nodes on one network. Delivery is synchronous, on the sender's
 * thread. Thread-safe.
 */
public final class LocalControlNetwork {
    private final Map<String, ControlBus.Receiver> receivers = new ConcurrentHashMap<>();

    /** A new bus on this network. */
    public ControlBus newBus() {
        return new Bus();
    }

    private final class Bus implements ControlBus {
        private volatile String nodeId;

        @Override
        public void start(String nodeId, Receiver receiver) {
            if (receivers.putIfAbsent(nodeId, receiver) != null) {
                throw new IllegalStateException("node id already on the network: " + nodeId);
            }
            this.nodeId = nodeId;
        }

        @Override
        public void broadcast(byte[] message) {
            String from = nodeId;
            receivers.forEach((id, receiver) -> {
                if (!id.equals(from)) {
                    receiver.receive(from, message.clone());
                }
            });
        }

        @Override
        public void send(String target, byte[] message) {
            ControlBus.Receiver receiver = receivers.get(target);
            if (receiver != null) {
                receiver.receive(nodeId, message.clone());
            }
        }

        @Override
        public void close() {
            String id = nodeId;
            if (id != null) {
                receivers.remove(id);
            }
        }
    }
}
