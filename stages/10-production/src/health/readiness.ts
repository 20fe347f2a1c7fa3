/** One thing the API needs to serve requests: PostgreSQL now; Redis plugs in as another. */
export interface DependencyCheck {
  name: string;
  /** Down + required → not ready (503). Down + optional → ready, but `degraded`. */
  required: boolean;
  /** Resolves when the dependency answers; rejects (or never settles) when it does not. */
  check(): Promise<unknown>;
}

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  required: boolean;
  /** Why it is down (a timeout, a refused connection): never credentials or a URL. */
  reason?: string;
}

export interface Readiness {
  status: 'ok' | 'degraded' | 'unavailable';
  timestamp: string;
  dependencies: Record<string, DependencyStatus>;
}

class TimeoutError extends Error {}

/** A reason safe for a public route: a code (ECONNREFUSED, 57P03) or the timeout, never a
 * driver message that may name hosts, users or databases. The log has the detail. */
function why(error: unknown): string {
  if (error instanceof TimeoutError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'failed';
}

/** Rejects after `ms`: a hung dependency must not hang the probe that asks about it. */
function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms).unref();
  });
}

async function probe(dependency: DependencyCheck, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  const took = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    await Promise.race([dependency.check(), timeout(timeoutMs)]);
    return { status: 'up', latencyMs: took(), required: dependency.required };
  } catch (error: unknown) {
    return { status: 'down', latencyMs: took(), required: dependency.required, reason: why(error) };
  }
}

// LESSON: readiness asks "can this instance serve traffic right now?". Every dependency is
// checked at once (the slowest bounds the answer, not the sum), each with a short timeout: a
// probe that waits for a dead database's TCP timeout tells the load balancer nothing for minutes.
export async function checkReadiness(
  dependencies: readonly DependencyCheck[],
  timeoutMs: number,
): Promise<Readiness> {
  const results = await Promise.all(
    dependencies.map(async (d) => [d.name, await probe(d, timeoutMs)] as const),
  );
  const down = results.map(([, r]) => r).filter((r) => r.status === 'down');
  return {
    status: down.some((r) => r.required) ? 'unavailable' : down.length > 0 ? 'degraded' : 'ok',
    timestamp: new Date().toISOString(),
    dependencies: Object.fromEntries(results),
  };
}
