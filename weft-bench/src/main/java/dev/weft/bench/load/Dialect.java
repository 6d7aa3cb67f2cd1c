package dev.weft.bench.load;

import java.net.URI;
import java.util.List;

/** The minimum of one target's protocol the generator needs: subscribe, receive, publish. */
public interface Dialect {

    /** The WebSocket address a subscriber to {@code channels} connects to, given the target's {@code ws://host:port}. */
    URI subscriberUri(URI base, List<String> channels);

    URI publisherUri(URI base);

    /** A session that subscribes to {@code channels} and reports what arrives to {@code deliveries}. */
    ClientSession subscriber(List<String> channels, Deliveries deliveries);

    /** A session that only publishes. */
    ClientSession publisher();
}
