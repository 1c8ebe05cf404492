/**
 * The Redis of the queue tests: `IOCM_TEST_REDIS_URL` when set (`.ci/run` starts one), else a
 * `redis-server` of this test file's own on 127.0.0.1; without either the tests fail and say why.
 */
import { startLocalRedis, type LocalRedis } from '../../../experiments/queue/local-redis.js';

export async function testRedis(): Promise<Pick<LocalRedis, 'url' | 'stop'>> {
  const given = process.env.IOCM_TEST_REDIS_URL;
  if (given) {
    if (!/^redis:\/\/(127\.0\.0\.1|localhost)[:/]/.test(given)) throw new Error(`IOCM_TEST_REDIS_URL must be a Redis on 127.0.0.1, got ${given}`);
    return { url: given, stop: async () => undefined };
  }
  return startLocalRedis();
}
