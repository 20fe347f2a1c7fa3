import { createHash } from 'node:crypto';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from '@backend-path/shared/domain/tickets';

export interface TicketStats {
  tickets: number;
  byStatus: Record<TicketStatus, number>;
  byPriority: Record<TicketPriority, number>;
  averageSubjectLength: number;
  resolutionHours: { p50: number; p90: number; p99: number };
  /** sha256 over every subject's own sha256: proves both modes did exactly the same work. */
  checksum: string;
}

const WORDS = ['login', 'invoice', 'export', 'crash', 'slow', 'password', 'billing', 'api', 'sso'];

// mulberry32: a tiny seeded PRNG, so every run (and both modes) sees the same "random" tickets.
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function percentile(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 100) / 100;
}

/**
 * Synchronous, CPU-bound on purpose: generates `size` synthetic tickets and hashes every subject.
 * Nothing here awaits, so whichever thread calls it is busy until it returns.
 */
export function computeTicketStats(size: number, seed = 42): TicketStats {
  const random = createRandom(seed);
  const byStatus = Object.fromEntries(
    TICKET_STATUSES.map((s) => [s, 0]),
  ) as TicketStats['byStatus'];
  const byPriority = Object.fromEntries(
    TICKET_PRIORITIES.map((p) => [p, 0]),
  ) as TicketStats['byPriority'];
  const hours = new Float64Array(size);
  const digest = createHash('sha256');
  let subjectLength = 0;
  for (let i = 0; i < size; i++) {
    const subject = `${pick(WORDS, random)} ${pick(WORDS, random)} issue #${i}`;
    byStatus[pick(TICKET_STATUSES, random)] += 1;
    byPriority[pick(TICKET_PRIORITIES, random)] += 1;
    hours[i] = random() * 72;
    subjectLength += subject.length;
    digest.update(createHash('sha256').update(subject).digest());
  }
  hours.sort();
  return {
    tickets: size,
    byStatus,
    byPriority,
    averageSubjectLength: size === 0 ? 0 : Math.round((subjectLength / size) * 100) / 100,
    resolutionHours: {
      p50: percentile(hours, 50),
      p90: percentile(hours, 90),
      p99: percentile(hours, 99),
    },
    checksum: digest.digest('hex'),
  };
}
