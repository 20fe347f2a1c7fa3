import { StringDecoder } from 'node:string_decoder';

/**
 * Lets several jobs write at once while the reader sees them one after another, in order: job 0
 * streams live; the others are held back until every job before them has finished, then flushed
 * (and stream live from then on). Output is the same whether jobs run one or two at a time.
 */
export function orderedOutput(count: number, sink: (chunk: string | Buffer) => void) {
  const held: (string | Buffer)[][] = Array.from({ length: count }, () => []);
  const finished: boolean[] = Array.from({ length: count }, () => false);
  let current = 0;
  return {
    write(job: number, chunk: string | Buffer): void {
      if (job === current) sink(chunk);
      else held[job]?.push(chunk);
    },
    done(job: number): void {
      finished[job] = true;
      while (current < count && finished[current]) {
        current += 1;
        for (const chunk of held[current] ?? []) sink(chunk);
        if (current < count) held[current] = [];
      }
    },
  };
}

/** Runs `task` for every item with at most `limit` running at once; results keep the items' order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Re-chunks a stream into whole lines (vitest writes whole lines into a pipe, so nothing waits). */
export function lines(onLine: (line: string) => void) {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return {
    push: (chunk: Buffer) => {
      const parts = (pending + decoder.write(chunk)).split(/(?<=\n)/);
      pending = parts.at(-1)?.endsWith('\n') ? '' : (parts.pop() ?? '');
      for (const part of parts) onLine(part);
    },
    end: () => {
      pending += decoder.end();
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
