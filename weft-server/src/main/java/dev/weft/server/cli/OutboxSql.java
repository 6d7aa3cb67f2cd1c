package dev.weft.server.cli;

import dev.weft.postgres.outbox.OutboxSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code weft outbox-sql}: prints the outbox DDL (Centrifugo's {@code centrifugo_outbox}, its notification
 * trigger and {@code weft_publish}), for {@code weft outbox-sql | psql postgresql://…}.
 */
@Command(name = "outbox-sql", mixinStandardHelpOptions = true,
        description = "Print the outbox table, trigger and weft_publish DDL (pipe it to psql).")
public final class OutboxSql implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(OutboxSchema.outboxSql());
        spec.commandLine().getOut().flush();
    }
}
