CREATE TABLE IF NOT EXISTS %s (
    id BIGINT PRIMARY KEY,
    method text NOT NULL,
    payload text NOT NULL,
    partition INTEGER NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    failed_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    consumer text NOT NULL,
    error text NOT NULL
)
