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

    /** {@code all} or a comma-separated list of names. */
    public static List<Target> parse(String names) {
        if (names.equals("all")) {
            return all();
        }
        List<Target> chosen = new ArrayList<>();
        for (String name : names.split(",")) {
            chosen.add(all().stream().filter(t -> t.name().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown target '" + name + "'; known: "
                            + all().stream().map(Target::name).toList() + " or all")));
        }
        return chosen;
    }
}
