-- KEYS: 1 expiry zset, 2 info hash. Drops expired entries, returns {client1, info1, ...}.
local now_ms = server_time()
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
  for i = 1, #expired, 1000 do
    redis.call('HDEL', KEYS[2], unpack(expired, i, math.min(i + 999, #expired)))
  end
end
return redis.call('HGETALL', KEYS[2])
