-- KEYS: 1 expiry zset (client -> expires at, ms), 2 info hash (client -> info)
-- ARGV: 1 ttl ms, 2 client id, 3 info
local now_ms = server_time()
local ttl = tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], now_ms + ttl, ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
for i = 1, 2 do
  local left = redis.call('PTTL', KEYS[i])
  if left < ttl then
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
end
return {1}
