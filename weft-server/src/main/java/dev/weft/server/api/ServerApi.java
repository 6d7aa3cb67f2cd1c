package dev.weft.server.api;

import dev.weft.core.Node;
import dev.weft.server.ai.AiStreams;
import dev.weft.server.api.methods.BatchMethod;
import dev.weft.server.api.methods.ConnectionMethods;
import dev.weft.server.api.methods.HistoryMethods;
import dev.weft.server.api.methods.NodeIdentity;
import dev.weft.server.api.methods.NodeMethods;
import dev.weft.server.api.methods.PresenceMethods;
import dev.weft.server.api.methods.PublishMethods;
import dev.weft.server.api.methods.StreamMethods;
import dev.weft.server.api.methods.SubscriptionMethods;
import dev.weft.server.api.methods.TokenMethods;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Assembles the server API's methods over a {@link Node}: the one registry everything else reads. */
public final class ServerApi {
    private ServerApi() {
    }

    /**
     * @param executor where {@code broadcast} and parallel {@code batch} run their parts (virtual threads)
     * @param streams  AI token streams ({@code stream_*} methods); null = none
     */
    public static ApiMethods methods(Node node, NodeIdentity identity, Executor executor, AiStreams streams) {
        List<ApiMethod<?, ?>> commands = new ArrayList<>();
        commands.addAll(new PublishMethods(node, executor).methods());
        commands.addAll(new SubscriptionMethods(node).methods());
        commands.addAll(new ConnectionMethods(node).methods());
        commands.addAll(new PresenceMethods(node).methods());
        commands.addAll(new HistoryMethods(node).methods());
        commands.addAll(new NodeMethods(node, identity).methods());
        commands.addAll(new TokenMethods(node).methods());
        if (streams != null) {
            commands.addAll(new StreamMethods(streams).methods());
        }
        List<ApiMethod<?, ?>> all = new ArrayList<>(commands);
        all.add(new BatchMethod(new ApiMethods(commands), executor).method());
        return new ApiMethods(all);
    }
}
