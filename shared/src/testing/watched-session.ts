import { readFileSync } from 'node:fs';

/** What the watcher needs of a pool (pg's Pool, a stage's DbPool): a statement on a connection of its own. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface WatchOptions {
  /** What the session does, for the lines it prints ("the plan dataset"). */
  what: string;
  /** The first progress line comes after this long, then one each time as long again. */
  reportEveryMs?: number;
  /** Past this, the session's statement is cancelled and the work fails with what was seen. */
  deadlineMs: number;
  /** How often the session is looked at. */
  sampleEveryMs?: number;
  /** Where the progress lines and the names of ended sessions go. */
  warn?: (line: string) => void;
}

interface Sample {
  /** `Lock:relation`, `IO:DataFileRead`, … or `running` (on CPU, or waiting for none). */
  wait: string;
  /** The statement's first words: which step of the work. */
  statement: string;
}

/**
 * Runs `work`, a long piece of work on the database session `pid` (a bulk load, an index build),
 * while another connection of `pool` looks at that session every second:
 * - a session that blocks it (pg_blocking_pids: one an earlier test left in a transaction holding
 *   a lock the work needs) is ended and named: nothing of the caller's own runs meanwhile, so
 *   whatever blocks it is a leftover, and waiting for it would be waiting without end;
 * - what the session waits on is counted, by statement. Past `reportEveryMs`, and each time as
 *   long again, a line says how long it has run and on what; past `deadlineMs` its statement is
 *   cancelled and the work fails saying the same. A slow build then names its cause (a lock, the
 *   disk, the CPU: the load average and the dirty pages are in the line) instead of a bare timeout.
 */
export async function watchSession<T>(
  pool: Queryable,
  pid: number,
  work: () => Promise<T>,
  options: WatchOptions,
): Promise<T> {
  const {
    what,
    deadlineMs,
    reportEveryMs = 60_000,
    sampleEveryMs = 1_000,
    warn = (line) => console.warn(line),
  } = options;
  const started = Date.now();
  const samples: Sample[] = [];
  let nextReport = reportEveryMs;
  let done = false;
  let timedOut = false;
  let wake = () => {};

  const look = async () => {
    const { rows } = await pool.query(
      `SELECT s.wait_event_type, s.wait_event, left(s.query, 40) AS statement,
              coalesce((SELECT json_agg(json_build_object(
                        'pid', b.pid, 'state', b.state, 'query', left(b.query, 120),
                        'ended', pg_terminate_backend(b.pid)))
                   FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(s.pid))), '[]') AS ended
         FROM pg_stat_activity s WHERE s.pid = $1 AND s.state = 'active'`,
      [pid],
    );
    const row = rows[0] as
      | {
          wait_event_type: string | null;
          wait_event: string | null;
          statement: string;
          ended: { pid: number; state: string; query: string }[];
        }
      | undefined;
    if (!row) return;
    for (const blocker of row.ended) {
      warn(
        `[${what}] ended session ${blocker.pid} (${blocker.state}), which blocked it: ${blocker.query}`,
      );
    }
    const wait = row.wait_event_type ? `${row.wait_event_type}:${row.wait_event}` : 'running';
    samples.push({ wait, statement: row.statement.replace(/\s+/g, ' ').trim() });
  };

  const watching = (async () => {
    while (!done) {
      // The pause ends early when the work does: its caller need not wait for the next look.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sampleEveryMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (done) return;
      await look().catch(() => {}); // a missed look is one sample fewer, nothing more
      const elapsed = Date.now() - started;
      if (elapsed >= nextReport && !done) {
        nextReport += reportEveryMs;
        warn(`[${what}] still running after ${summary(elapsed, samples)}`);
      }
      if (elapsed >= deadlineMs && !done) {
        timedOut = true;
        await pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
        return;
      }
    }
  })();

  try {
    return await work();
  } catch (error: unknown) {
    if (!timedOut) throw error;
    throw new Error(
      `${what} was not done after ${summary(Date.now() - started, samples)} (cancelled)`,
      { cause: error },
    );
  } finally {
    done = true;
    wake();
    await watching;
  }
}

/** "95 s; looked at 95 times, it was: 80 × Lock:relation in "ALTER TABLE…", 15 × running in "…"; load …". */
function summary(elapsedMs: number, samples: readonly Sample[]): string {
  const counts = new Map<string, number>();
  for (const { wait, statement } of samples) {
    const key = `${wait} in "${statement}"`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const seen = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([key, n]) => `${n} × ${key}`)
    .join(', ');
  return `${Math.round(elapsedMs / 1000)} s; looked at ${samples.length} times, it was: ${seen || 'nothing seen'}; ${machine()}`;
}

/** The load average and the pages waiting for the disk (Linux): CPU-bound or disk-bound? */
function machine(): string {
  try {
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const memory = readFileSync('/proc/meminfo', 'utf8');
    const kb = (field: string) => memory.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1];
    return `load ${load}, Dirty ${kb('Dirty')} kB, Writeback ${kb('Writeback')} kB`;
  } catch {
    return 'no /proc here';
  }
}
