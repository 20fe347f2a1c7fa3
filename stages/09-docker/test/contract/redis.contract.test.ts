import { testKeyPrefix, testRedis } from '../support/redis-helpers.ts';
import { describeCacheFillRace } from './cache-fill.race.contract.ts';
import { describeRedisBehaviour } from './redis.behaviour.contract.ts';

// The run's real Redis, under the test's own key prefix (test/support/setup.ts moves it on before
// each test, so no test sees another's keys and nothing needs deleting between them).
async function connect() {
  return { redis: testRedis(), key: (name: string) => `${testKeyPrefix()}${name}` };
}

describeRedisBehaviour('redis', connect);
describeCacheFillRace('redis', connect);
