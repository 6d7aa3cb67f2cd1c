package dev.weft.server.api.model;

@Doc("Create an AI token stream (or take an open one over as its new producer).")
public record StreamCreateRequest(
        @Doc("Channel the stream's parts go to; its namespace must keep history. Optional with `chat_id` or `id`.")
        String channel,
        @Doc("A chat id: the stream goes to the chat's channel (`ai.streams.chat_channel`), where "
                + "`GET /ai/chat/<chat_id>/stream` finds it.") String chatId,
        @Doc("`<name>@<channel>`: the id of a new stream (random when absent), or of an open stream to take over "
                + "(its generation goes up; the old producer's relay is cancelled and its calls refused).") String id,
        @Doc("On whose behalf: counts against `ai.streams.max_per_user`.") String user,
        @Doc("Relay: Weft calls this upstream model API itself and writes its answer into the stream "
                + "(`url`, `headers`, `body`, `format`).") JsonPayload upstream) {
}
