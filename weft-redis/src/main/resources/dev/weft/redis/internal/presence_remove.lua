-- KEYS: 1 expiry zset, 2 info hash. ARGV: 1 client id.
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return {1}
