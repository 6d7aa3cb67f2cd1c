package dev.weft.server.web;

import dev.weft.postgres.changes.ChangeEvent;
import dev.weft.postgres.changes.ChangeStreamConfig;
import dev.weft.postgres.changes.ChannelTemplate;
import dev.weft.postgres.changes.TableRule;
import dev.weft.server.config.WeftConfig;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The live dashboard demo ({@code /demo/dashboard/}): with {@code demo.enabled} and {@code demo.postgres_dsn},
 * a change stream named {@value #STREAM} that creates its two tables when missing and publishes their row
 * changes into {@value #METRICS_CHANNEL} (inserted samples, for the chart) and {@value #ORDERS_CHANNEL} (every
 * change of an order, for the live table). Stateless.
 */
public final class DemoDashboard {
    public static final String STREAM = "demo";
    public static final String METRICS_CHANNEL = DemoChannels.NAMESPACE + ":metrics";
    public static final String ORDERS_CHANNEL = DemoChannels.NAMESPACE + ":orders";
    public static final String METRICS_TABLE = "public.weft_demo_metrics";
    public static final String ORDERS_TABLE = "public.weft_demo_orders";
    private static final List<String> TABLES = List.of(
            "create table if not exists weft_demo_metrics (id bigserial primary key, "
                    + "at timestamptz not null default now(), value double precision not null)",
            "create table if not exists weft_demo_orders (id serial primary key, customer text not null, "
                    + "status text not null default 'new', total numeric(10,2) not null default 0, "
                    + "updated_at timestamptz not null default now())",
            // The table shows what an order was before each change.
            "alter table weft_demo_orders replica identity full");

    private DemoDashboard() {
    }

    /** The configured change streams, plus the dashboard's when the demo has a Postgres. */
    public static List<ChangeStreamConfig> changeStreams(WeftConfig config) {
        if (!config.web().demoEnabled() || config.web().demoPostgresDsn().isEmpty()) {
            return config.postgresChanges();
        }
        List<ChangeStreamConfig> streams = new ArrayList<>(config.postgresChanges());
        streams.add(new ChangeStreamConfig(STREAM, config.web().demoPostgresDsn(), null, null, List.of(
                new TableRule(METRICS_TABLE, ChannelTemplate.parse(METRICS_CHANNEL), List.of(),
                        Set.of(ChangeEvent.INSERT)),
                new TableRule(ORDERS_TABLE, ChannelTemplate.parse(ORDERS_CHANNEL), List.of(),
                        EnumSet.of(ChangeEvent.INSERT, ChangeEvent.UPDATE, ChangeEvent.DELETE))),
                ChangeStreamConfig.DEFAULT_LAG_WARN_BYTES, null, TABLES));
        return List.copyOf(streams);
    }
}
