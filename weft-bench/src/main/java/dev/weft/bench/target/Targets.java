package dev.weft.bench.target;

import dev.weft.protocol.ProtocolType;

import java.util.ArrayList;
import java.util.List;

/** The targets by name. */
public final class Targets {

    private Targets() {
    }

    /** Every target, in the order results list them. */
    public static List<Target> all() {
        return List.of(new WeftTarget(ProtocolType.JSON), new WeftTarget(ProtocolType.PROTOBUF),
                new SocketIoTarget(), new NatsTarget(), new CeilingTarget());
    }

    /**
     * Every target that can be named: {@link #all()} and variants measured only when asked for
     * ({@code weft-proxy}: Weft with its connects and publishes going through event proxies; for ai-streams,
     * {@code resumable-stream} and {@code weft-redis-1}, one Weft node on a private Redis).
     */
    public static List<Target> known() {
        List<Target> known = new ArrayList<>(all());
        known.add(WeftTarget.proxied());
        known.add(new ResumableStreamTarget());
        known.add(new ClusterTarget(ClusterTarget.Engine.REDIS, 1));
        return known;
    }

    /** {@code all} or a comma-separated list of names. */
    public static List<Target> parse(String names) {
        if (names.equals("all")) {
            return all();
        }
        List<Target> chosen = new ArrayList<>();
        for (String name : names.split(",")) {
            chosen.add(known().stream().filter(t -> t.name().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown target '" + name + "'; known: "
                            + known().stream().map(Target::name).toList() + " or all")));
        }
        return chosen;
    }
}
