import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/errors.ts';
import { createBoundedPool, RETRY_AFTER_SECONDS } from '../../src/reports/bounded-pool.ts';

/** A task the test finishes by hand, so the order of events is the test's, not the clock's. */
function gate() {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('createBoundedPool', () => {
  it('When more tasks come than slots and queue hold, then at most maxRunning run, the queue waits in order, the rest get 503', async () => {
    const pool = createBoundedPool({ maxRunning: 2, maxWaiting: 1 });
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const task = (index: number) => async () => {
      started.push(index);
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await gates[index]?.opened;
      running -= 1;
      return index;
    };

    const results = [0, 1, 2].map((index) => pool.run(task(index)));
    const refused = pool.run(task(3));
    await expect(refused).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(refused).rejects.toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    });
    expect(started).toEqual([0, 1]); // the third waits

    gates[1]?.open();
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]); // the freed slot went to the one in the queue
    gates[0]?.open();
    gates[2]?.open();

    expect(await Promise.all(results)).toEqual([0, 1, 2]);
    expect(mostAtOnce).toBe(2);
  });

  it('When a task fails, then its slot is freed all the same', async () => {
    const pool = createBoundedPool({ maxRunning: 1, maxWaiting: 0 });

    await expect(pool.run(() => Promise.reject(new Error('worker crashed')))).rejects.toThrow(
      'worker crashed',
    );

    await expect(pool.run(async () => 'next')).resolves.toBe('next');
  });
});
