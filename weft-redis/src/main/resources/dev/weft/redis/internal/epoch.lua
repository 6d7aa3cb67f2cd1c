-- Shared prelude of the stream scripts: how a channel without a stream gets its epoch.
--
-- An epoch is "<12 hex digits>". A channel without a stream answers, without storing anything for it:
--   1. the epoch noted for its next stream (KEYS[3], "<generation>:<epoch>"), written when its previous
--      stream started and kept until that generation ends, else
--   2. an epoch derived from the shard's seed (KEYS[4]), the current generation and the channel name.
-- A generation is ARGV_GEN seconds of Redis server time. So the answer is stable while the stream stays
-- empty within a generation, the first publication gets it, and a dropped stream's epoch (lost meta,
-- removed history, expired meta) does not come back: within its generation the noted next epoch differs
-- from it, after it the derived one does. If Redis lost its data the seed is gone too and every channel
-- gets fresh epochs.

local function server_time()
  local t = redis.call('TIME')
  local seconds = tonumber(t[1])
  return seconds * 1000 + math.floor(tonumber(t[2]) / 1000), seconds
end

local function generation(seconds, generation_seconds)
  return math.floor(seconds / generation_seconds)
end

-- The epoch the channel's next stream gets. seed_candidate becomes the shard's seed if it has none yet.
local function empty_epoch(next_key, seed_key, seed_candidate, channel, gen)
  local noted = redis.call('GET', next_key)
  if noted then
    local sep = string.find(noted, ':', 1, true)
    if sep and string.sub(noted, 1, sep - 1) == string.format('%d', gen) then
      return string.sub(noted, sep + 1)
    end
  end
  redis.call('SET', seed_key, seed_candidate, 'NX')
  local seed = redis.call('GET', seed_key)
  return string.sub(redis.sha1hex(seed .. '\n' .. string.format('%d', gen) .. '\n' .. channel), 1, 12)
end
