export {
  createRedisReplayStore,
  type RedisReplayStore,
  type RedisReplayStoreOptions,
} from './create-redis-replay-store.ts';
export {
  createRedisTokenStore,
  type RedisTokenStore,
  type RedisTokenStoreOptions,
} from './create-redis-token-store.ts';
export type { RedisConnectionOptions } from './redis-connection-options.ts';
