/**
 * Postgres change streams: a logical replication slot ({@code pgoutput}) read with pgjdbc's replication API,
 * row changes turned into publications by rule, the slot's confirmed position advanced only after the broker
 * accepted them.
 */
package dev.weft.postgres.changes;
