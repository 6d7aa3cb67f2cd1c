-- KEYS: 1 meta hash, 2 stream, 3 next-epoch note, 4 seed
-- ARGV: 1 since offset ('' = from the end), 2 limit (-1 = all, 0 = position only), 3 reverse ('1'/'0'),
--       4 meta ttl ms to extend to (0 = leave), 5 next-epoch note grace ms, 6 seed candidate, 7 channel name
-- Returns {top offset (string), epoch, offset1, body1, offset2, body2, ...}; entries past their expiry are
-- skipped. A channel without a stream stores nothing (bar the shard's one seed key).
local now_ms = server_time()
local epoch = redis.call('HGET', KEYS[1], 'e')
if not epoch then
  return {'0', empty_epoch(KEYS[3], KEYS[4], ARGV[6], ARGV[7])}
end
local top = redis.call('HGET', KEYS[1], 's')
if ARGV[4] ~= '0' then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl >= 0 and ttl < tonumber(ARGV[4]) then
    redis.call('PEXPIRE', KEYS[1], ARGV[4])
    keep_note(KEYS[3], tonumber(ARGV[4]), tonumber(ARGV[5]))
  end
end
local out = {top, epoch}
local limit = tonumber(ARGV[2])
if limit == 0 then
  return out
end
local command, from, to = 'XRANGE', '-', '+'
if ARGV[3] == '1' then
  command, from, to = 'XREVRANGE', '+', '-'
end
if ARGV[1] ~= '' then
  from = '(' .. ARGV[1] .. '-1'
end
local found = 0
while limit < 0 or found < limit do
  local want = 100
  if limit >= 0 then want = math.min(100, limit - found) end
  local batch = redis.call(command, KEYS[2], from, to, 'COUNT', want)
  for _, entry in ipairs(batch) do
    local fields = entry[2]
    local body, expires = nil, 0
    for i = 1, #fields, 2 do
      if fields[i] == 'd' then body = fields[i + 1] elseif fields[i] == 'x' then expires = tonumber(fields[i + 1]) end
    end
    if expires > now_ms and (limit < 0 or found < limit) then
      out[#out + 1] = string.sub(entry[1], 1, -3)
      out[#out + 1] = body
      found = found + 1
    end
  end
  if #batch < want then
    break
  end
  from = '(' .. batch[#batch][1]
end
return out
