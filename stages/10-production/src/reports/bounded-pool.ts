import { ServiceUnavailableError } from '../errors.ts';

/** A report takes a fraction of a second: a slot is likely free by then. */
export const RETRY_AFTER_SECONDS = 1;

export interface PoolLimits {
  /** Tasks running at once: each one is a worker thread on a core of its own. */
  maxRunning: number;
  /** Tasks that may wait for a slot; one more is refused. */
  maxWaiting: number;
}

export interface BoundedPool {
  /** Runs `task` when a slot is free; 503 SERVICE_UNAVAILABLE when the queue is full too. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

// LESSON: a thread per request is a door anyone can hold open: every thread costs memory, and
// more threads than cores only take turns. So run at most `maxRunning`, let a few requests wait,
// and refuse the rest at once with 503 + Retry-After: a client told "later" can come back, a
// client left in an endless queue times out having cost us all the same.
export function createBoundedPool({ maxRunning, maxWaiting }: PoolLimits): BoundedPool {
  let running = 0;
  const waiting: Array<() => void> = [];

  function release(): void {
    const next = waiting.shift();
    if (next)
      next(); // the slot passes straight to the next in line: `running` stays the same
    else running -= 1;
  }

  return {
    async run(task) {
      if (running < maxRunning) {
        running += 1;
      } else if (waiting.length < maxWaiting) {
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        throw new ServiceUnavailableError(
          'Every report worker is busy and the queue is full; try again shortly.',
          RETRY_AFTER_SECONDS,
        );
      }
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
