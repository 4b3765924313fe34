// The lease protocol of the Redis token store, as Lua scripts: Redis runs each one atomically, so
// no other command sees a half-done claim or settle.

/**
 * KEYS[1] lease; ARGV[1] owner, ARGV[2] lease ms. `SET NX PX` takes a free lease; a taken one
 * answers with its owner, read in the same atomic step (it cannot expire between the two).
 */
export const CLAIM_LEASE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, ARGV[1]} end
return {0, redis.call('GET', KEYS[1])}
`;

/** KEYS[1] lease; ARGV[1] owner, ARGV[2] lease ms. Extends the lease only while this owner holds it. */
export const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/**
 * KEYS[1] lease, KEYS[2] outcome record, KEYS[3] token; ARGV[1] owner, ARGV[2] record ('' for
 * none), ARGV[3] record ms, ARGV[4] channel, ARGV[5] message (the cache key, a hash), ARGV[6]
 * token ('' for none), ARGV[7] token ms. Stores the token and the record, deletes the lease only
 * if this owner still holds it (a fenced release: a holder whose lease expired and was taken over
 * cannot end its successor's), and wakes the waiters. The message names the key, nothing else.
 */
export const SETTLE_LEASE = `
if ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[6], 'PX', ARGV[7]) end
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`;
