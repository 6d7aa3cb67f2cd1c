-- KEYS: 1 meta hash (e = epoch, s = top offset), 2 stream, 3 next-epoch note, 4 seed, 5 idempotency result
-- ARGV: 1 publication body, 2 history size (0 = no history), 3 history ttl ms, 4 meta ttl ms (0 = forever),
--       5 idempotency ttl ms (0 = no key), 6 and 7 two random epochs, 8 pub/sub channel,
--       9 next-epoch note grace ms, 10 seed candidate, 11 channel name, 12 PUBLISH or SPUBLISH (cluster),
--       13 message kind: 'p', or 'd' for a publication published for delta compression
-- Returns {suppressed (0/1), offset (string), epoch}.
if ARGV[5] ~= '0' then
  local previous = redis.call('GET', KEYS[5])
  if previous then
    local sep = string.find(previous, ':', 1, true)
    return {1, string.sub(previous, 1, sep - 1), string.sub(previous, sep + 1)}
  end
end
local now_ms = server_time()
local offset = '0'
local epoch = ''
if ARGV[2] ~= '0' then
  epoch = redis.call('HGET', KEYS[1], 'e')
  if not epoch then
    -- A new stream: whatever a lost meta left behind belongs to an epoch nobody can vouch for.
    redis.call('DEL', KEYS[2])
    epoch = empty_epoch(KEYS[3], KEYS[4], ARGV[10], ARGV[11])
    local following = ARGV[6]
    if following == epoch then following = ARGV[7] end
    redis.call('SET', KEYS[3], following)
    redis.call('HSET', KEYS[1], 'e', epoch, 's', 0)
  end
  offset = string.format('%d', redis.call('HINCRBY', KEYS[1], 's', 1))
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], offset .. '-1',
      'd', ARGV[1], 'x', string.format('%d', now_ms + tonumber(ARGV[3])))
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  if ARGV[4] ~= '0' then
    redis.call('PEXPIRE', KEYS[1], ARGV[4])
  else
    redis.call('PERSIST', KEYS[1])
  end
  keep_note(KEYS[3], tonumber(ARGV[4]), tonumber(ARGV[9]))
end
if ARGV[5] ~= '0' then
  redis.call('SET', KEYS[5], offset .. ':' .. epoch, 'PX', ARGV[5])
end
redis.call(ARGV[12], ARGV[8], ARGV[13] .. offset .. ':' .. epoch .. ':' .. ARGV[1])
return {0, offset, epoch}
