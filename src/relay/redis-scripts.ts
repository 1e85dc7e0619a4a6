/**
 * The Lua scripts that keep the cluster's rendezvous records in Redis. Each
 * runs atomically, so two nodes can never both pair one id.
 *
 * A record is a hash at `moneysocket:rv:<id>`: `s` is 'w' (one connection
 * waits: `wn`/`wc`, its node instance and connection) or 'p' (paired: the
 * waiter plus `pn`/`pc`, the newcomer). A record counts only while the node
 * instances it names are alive, i.e. their `moneysocket:live:<instance>` key
 * exists; so a dead node's records stop counting when its live key expires
 * (half the claim TTL), and may be taken over at once. The records' own TTL
 * (an hour, refreshed by their nodes) only clears what dead nodes left.
 */

export const KEY_PREFIX = 'moneysocket:';
export const claimKey = (rendezvousId: string): string => `${KEY_PREFIX}rv:${rendezvousId}`;
export const liveKey = (node: string): string => `${KEY_PREFIX}live:${node}`;
export const nodeChannel = (node: string): string => `${KEY_PREFIX}node:${node}`;
export const LIVE_PREFIX = `${KEY_PREFIX}live:`;

const READ = `
local function live(node) return node and redis.call('EXISTS', ARGV[#ARGV] .. node) == 1 end
local c = redis.call('HMGET', KEYS[1], 's', 'wn', 'wc', 'pn', 'pc')
`;

/**
 * KEYS: record. ARGV: node, conn, ttl ms, live prefix.
 * -> {'wait'} | {'in-use'} | {'pair', waiter node, waiter conn}
 */
export const CLAIM = `${READ}
if c[1] == 'w' and live(c[2]) then
  if c[2] == ARGV[1] and c[3] == ARGV[2] then
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    return {'wait'}
  end
  redis.call('HSET', KEYS[1], 's', 'p', 'pn', ARGV[1], 'pc', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'pair', c[2], c[3]}
end
if c[1] == 'p' and live(c[2]) and live(c[4]) then return {'in-use'} end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 's', 'w', 'wn', ARGV[1], 'wc', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'wait'}
`;

/**
 * Deletes the record if this connection is in it. KEYS: record. ARGV: node, conn, live prefix.
 * -> {} | {other node, other conn} (the peer to tell, when it was paired)
 */
export const RELEASE = `${READ}
if c[2] == ARGV[1] and c[3] == ARGV[2] then
  redis.call('DEL', KEYS[1])
  if c[1] == 'p' then return {c[4], c[5]} end
  return {}
end
if c[1] == 'p' and c[4] == ARGV[1] and c[5] == ARGV[2] then
  redis.call('DEL', KEYS[1])
  return {c[2], c[3]}
end
return {}
`;

/**
 * Refreshes the record's TTL if this connection is in it. KEYS: record. ARGV: node, conn, ttl ms, live prefix.
 * -> {'none'} | {'w'} | {'p', other node, other conn}
 */
export const TOUCH = `${READ}
local waiter = c[2] == ARGV[1] and c[3] == ARGV[2]
local newcomer = c[1] == 'p' and c[4] == ARGV[1] and c[5] == ARGV[2]
if not (waiter or newcomer) then return {'none'} end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if c[1] ~= 'p' then return {'w'} end
if waiter then return {'p', c[4], c[5]} end
return {'p', c[2], c[3]}
`;

/**
 * Writes back a pair of two connections of this node (after Redis lost it),
 * unless two live connections elsewhere hold the id. KEYS: record.
 * ARGV: node, conn a, conn b, ttl ms, live prefix. -> 1 written | 0 held by others
 */
export const RESTORE = `${READ}
if c[1] == 'p' and live(c[2]) and live(c[4]) and not (c[2] == ARGV[1] and c[4] == ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 's', 'p', 'wn', ARGV[1], 'wc', ARGV[2], 'pn', ARGV[1], 'pc', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;
