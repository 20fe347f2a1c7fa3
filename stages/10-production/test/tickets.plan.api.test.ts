import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { insertPeople, insertTicketsServerSide, labDataset } from '../labs/lib/lab-data.ts';
import type { DbPool } from '../src/db/pool.ts';
import { createPgTicketRepository } from '../src/tickets/tickets.repository.pg.ts';
import { testPool } from './db-helpers.ts';
import { authAs, buildApp } from './helpers.ts';

// Stage 03 built tickets_account_status_created_idx for the account-scoped list, and the API
// never sent that query: its list had no account. Now every list is scoped by the caller's
// account, so the statement the API REALLY sends is the one the index serves. tickets.plan
// EXPLAINs listPageSql; this one EXPLAINs what went over the wire during a request.
const INDEX = 'tickets_account_status_created_idx';
const ROWS = 60_000;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

/** The test pool, recording every statement and its values. */
function recordingPool(pool: DbPool, sent: { text: string; values: unknown[] }[]): DbPool {
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (text: string, values: unknown[]) => {
        sent.push({ text, values });
        return target.query(text, values);
      };
    },
  });
}

const { accounts, users } = labDataset(0);
const agent = users.find((u) => u.role === 'agent' && u.accountId === accounts[0]?.id);

describe('GET /api/v1/tickets?status=open, as an agent', () => {
  it('When the API lists tickets, then the statement it sends is scoped by account and walks the composite index', async () => {
    if (!agent) throw new Error('the lab dataset has an agent in its first account');
    // setup.ts truncated the tables before this test: put the people and tickets back.
    await insertPeople(testPool(), { accounts, users });
    await insertTicketsServerSide(testPool(), {
      rows: ROWS,
      customers: users.filter((u) => u.role === 'customer'),
      subjectLength: 40,
      descriptionLength: 90,
    });
    await testPool().query('ANALYZE tickets');
    const sent: { text: string; values: unknown[] }[] = [];
    const { app } = buildApp({
      tickets: createPgTicketRepository(recordingPool(testPool(), sent)),
    });

    const res = await supertest(app).get('/api/v1/tickets?status=open').set(authAs(agent));

    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    const page = sent.find((s) => s.text.includes('LIMIT'));
    expect(page?.values).toContain(agent.accountId);
    const { rows } = await testPool().query(
      `EXPLAIN (FORMAT JSON) ${page?.text}`,
      page?.values ?? [],
    );
    const nodes = flatten(rows[0]['QUERY PLAN'][0].Plan);
    const onIndex = nodes.filter((n) => n['Index Name'] === INDEX).map((n) => n['Node Type']);
    expect(onIndex).toEqual([expect.stringMatching(/^(Index Scan|Index Only Scan)$/)]);
    const types = nodes.map((n) => n['Node Type']);
    expect(types).not.toContain('Seq Scan');
    expect(types).not.toContain('Sort');
  }, 120_000);
});
