-- Weft's transactional outbox, Centrifugo v6's shape: a Centrifugo user's table works unchanged.
-- Run once per database (psql -f outbox.sql, or `weft outbox-sql | psql`); every statement is idempotent.
-- Objects are created in the first schema of search_path.

-- The outbox: one row per server API command, committed in the application's own transaction.
CREATE TABLE IF NOT EXISTS centrifugo_outbox (
    id BIGSERIAL PRIMARY KEY,
    method text NOT NULL,
    payload JSONB NOT NULL,
    partition INTEGER NOT NULL default 0,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL
);

-- Instant wake-up: the partition of each new row is sent on the channel partition_notification_channel names.
-- NOTIFY is delivered at commit, and only for committed transactions.
CREATE OR REPLACE FUNCTION centrifugo_notify_partition_change()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM pg_notify('centrifugo_partition_change', NEW.partition::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER centrifugo_notify_partition_trigger
AFTER INSERT ON centrifugo_outbox
FOR EACH ROW
EXECUTE FUNCTION centrifugo_notify_partition_change();

-- weft_publish(channel, data [, partition]): publish from SQL, in the caller's transaction. Returns the row id,
-- which is also the publication's idempotency key. Rolled back with the transaction, like any insert.
--   SELECT weft_publish('orders:1', '{"status":"paid"}');
--   SELECT weft_publish('orders:1', '{"status":"paid"}', abs(hashtext('orders:1')) % 4);  -- 4 partitions
CREATE OR REPLACE FUNCTION weft_publish(channel text, data jsonb, part integer DEFAULT 0)
RETURNS bigint AS $$
    INSERT INTO centrifugo_outbox (method, payload, partition)
    VALUES ('publish', jsonb_build_object('channel', channel, 'data', data), part)
    RETURNING id;
$$ LANGUAGE sql;
