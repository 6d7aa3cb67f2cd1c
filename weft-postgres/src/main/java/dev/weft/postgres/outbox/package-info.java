/**
 * The transactional outbox consumer: rows an application commits to an outbox table (Centrifugo's
 * {@code centrifugo_outbox} shape) are executed as server API commands, in order per partition, then deleted.
 * Knows Postgres and the command SPI it is given; nothing of HTTP or of the server API's records.
 */
package dev.weft.postgres.outbox;
