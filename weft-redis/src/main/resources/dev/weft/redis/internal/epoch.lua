-- Shared prelude of the stream scripts: how a channel without a stream gets its epoch.
--
-- An epoch is "<12 hex digits>". A channel without a stream answers, without storing anything for it:
--   1. the epoch noted for its next stream (KEYS[3]), written when its previous stream started, else
--   2. an epoch derived from the shard's seed (KEYS[4]) and the channel name.
-- So the answer is stable while the stream stays empty, at any time of any day, and the first publication
-- gets it. A dropped stream's epoch (lost meta, removed history, expired meta) does not come back while the
-- note lives: the note differs from it. The note lives as long as the meta plus a grace period (see
-- keep_note), so it outlives the stream it follows. If Redis lost its data the seed is gone too and every
-- channel gets fresh epochs.

-- Redis server time in milliseconds.
local function server_time()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The epoch the channel's next stream gets. seed_candidate becomes the shard's seed if it has none yet.
local function empty_epoch(next_key, seed_key, seed_candidate, channel)
  local noted = redis.call('GET', next_key)
  if noted then
    -- Notes written by earlier versions read "<day>:<epoch>".
    local sep = string.find(noted, ':', 1, true)
    if sep then
      return string.sub(noted, sep + 1)
    end
    return noted
  end
  redis.call('SET', seed_key, seed_candidate, 'NX')
  local seed = redis.call('GET', seed_key)
  return string.sub(redis.sha1hex(seed .. '\n' .. channel), 1, 12)
end

-- Keeps the next-epoch note grace_ms longer than the meta, whose expiry was just set to meta_ttl_ms
-- (0: the meta never expires, nor does the note).
local function keep_note(next_key, meta_ttl_ms, grace_ms)
  if meta_ttl_ms == 0 then
    redis.call('PERSIST', next_key)
  else
    redis.call('PEXPIRE', next_key, meta_ttl_ms + grace_ms)
  end
end
