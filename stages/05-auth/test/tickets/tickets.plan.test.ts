import { TICKET_STATUSES } from '@backend-path/shared/domain/tickets';
import { USER_ROLES, type User } from '@backend-path/shared/domain/users';
import supertest from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPgCommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { visibleTo } from '../../src/tickets/tickets.access.ts';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_DEPTH,
  MAX_SEARCH_DEPTH,
} from '../../src/tickets/tickets.list-query.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import type { TicketSearch } from '../../src/tickets/tickets.search.ts';
import { listPageSql, ticketFilter } from '../../src/tickets/tickets.sql.ts';
import { keepTablesBetweenTests, testPool } from '../support/db-helpers.ts';
import { authAs, buildApp } from '../support/helpers.ts';
import {
  buildPlanDataset,
  COMMON_WORD,
  describeNode,
  flatten,
  indexesOf,
  PLAN_BUILD_TIMEOUT_MS,
  PLAN_ROWS,
  type PlanDataset,
  type PlanNode,
  planOf,
  planProblems,
  recordingPool,
  type Sent,
} from '../support/plan-helpers.ts';

// LESSON: every list the API serves is answered by an index, and this file proves it the way
// the planner decides it: on a table it sees as it sees a million tickets (plan-helpers.ts), each
// request of the list routes is sent through the real app, every statement the repositories send
// is recorded, and each one is EXPLAINed with its own values. A filter, a page kind or a route
// added without its index fails here, by name. The plan's SHAPE is checked, not its speed
// (labs/explain.ts times it): planProblems says what each rule is and why.
// Stage 05: every list is one account's, and a customer's only their own (tickets.access.ts), so
// each request is sent as each kind of caller, whose scope the API adds to the filters.

/** Each filter a client can combine on GET /tickets; the caller's scope comes on top. */
const FILTER_VALUES: Record<string, (string | undefined)[]> = {
  status: [undefined, ...TICKET_STATUSES],
  // A word in many subjects, and one in none (the trigram index finds nothing, fast).
  q: [undefined, COMMON_WORD, 'needle7f3a'],
};

/** The TicketSearch fields the API sets from a query string, by the filter that sets them. */
const FROM_QUERY: Record<string, keyof TicketSearch> = { status: 'status', q: 'q' };

/** One caller per scope the API gives a role (an agent's is an admin's): the account's users. */
function callers(users: readonly User[]): { role: string; user: User }[] {
  const seen = new Set<string>();
  return USER_ROLES.flatMap((role) => {
    const user = users.find((u) => u.role === role);
    if (!user) return [];
    const scope = Object.keys(visibleTo(user)).sort().join();
    if (seen.has(scope)) return [];
    seen.add(scope);
    return [{ role, user }];
  });
}

const PAGE_KINDS = ['first page', 'keyset page', 'deepest page'] as const;
type PageKind = (typeof PAGE_KINDS)[number];

/** The deepest page number the list accepts, as the client would ask for it. */
function deepestPage(q: string | undefined): number {
  const depth = q ? MAX_SEARCH_DEPTH : MAX_PAGE_DEPTH;
  return Math.floor((depth - 1) / DEFAULT_PAGE_SIZE) + 1;
}

let data: PlanDataset;
/** The one build: a test that times out waiting for it must not start a second one. */
let building: Promise<PlanDataset> | undefined;
/** The roles of the lab's users, by scope: every account has each (shared/src/seed/people.ts). */
const ROLES_BY_SCOPE = ['customer', 'agent'];
keepTablesBetweenTests();
beforeEach(async () => {
  // setup.ts emptied the tables before the first test only: the dataset is built once.
  building ??= buildPlanDataset(testPool());
  data ??= await building;
}, PLAN_BUILD_TIMEOUT_MS);

/** The dataset's user of this role, to call the API as. */
function callerOf(role: string): User {
  const user = callers(data.users).find((c) => c.role === role)?.user;
  if (!user) throw new Error(`the plan dataset has no ${role} in its first account`);
  return user;
}

/** Every statement on tickets or comments that `path` makes the API send, with its response. */
async function sentFor(path: string, role: string): Promise<{ status: number; sent: Sent[] }> {
  const sent: Sent[] = [];
  const pool = recordingPool(testPool(), sent);
  const { app } = buildApp({
    tickets: createPgTicketRepository(pool),
    comments: createPgCommentRepository(pool),
  });
  const res = await supertest(app)
    .get(path)
    .set(authAs(callerOf(role)));
  const lists = sent.filter((s) => /\bFROM (tickets|comments)\b/.test(s.text));
  return { status: res.status, sent: lists };
}

interface Case {
  name: string;
  query: Record<string, string>;
  kind: PageKind;
  role: string;
}

/** Every combination: each filter's values × page kinds × ?include=comments or not × caller. */
function cases(): Case[] {
  let combos: Record<string, string>[] = [{}];
  for (const [name, options] of Object.entries(FILTER_VALUES)) {
    combos = combos.flatMap((combo) =>
      options.map((value) => (value === undefined ? combo : { ...combo, [name]: value })),
    );
  }
  const includes: Record<string, string>[] = [{}, { include: 'comments' }];
  return combos.flatMap((filters) =>
    PAGE_KINDS.flatMap((kind) =>
      includes.flatMap((include) =>
        ROLES_BY_SCOPE.map((role) => {
          const query = { ...filters, ...include };
          const name = new URLSearchParams(query).toString() || '(no filter)';
          return { name: `${role}: ${name}, ${kind}`, query, kind, role };
        }),
      ),
    ),
  );
}

/**
 * The case's request path: the keyset page follows the first page's meta.nextCursor (or, when
 * the first page is all there is, the unfiltered list's: a cursor is a position in any list).
 */
async function pathOf({ query, kind, role }: Case): Promise<string> {
  const params = new URLSearchParams(query);
  if (kind === 'deepest page') params.set('page', String(deepestPage(query.q)));
  if (kind === 'keyset page') {
    const { app } = buildApp();
    const as = authAs(callerOf(role));
    const first = await supertest(app).get(`/api/v1/tickets?${params}`).set(as);
    const any = await supertest(app).get('/api/v1/tickets').set(as);
    params.set('after', first.body.meta.nextCursor ?? any.body.meta.nextCursor);
  }
  return `/api/v1/tickets?${params}`;
}

interface PlannedCase {
  name: string;
  status: number;
  statements: { text: string; problems: string[]; indexes: string[] }[];
}

let planned: Promise<PlannedCase[]> | undefined;

/** Every case, sent and planned once for the tests that read the plans. */
function plannedCases(): Promise<PlannedCase[]> {
  planned ??= (async () => {
    const results: PlannedCase[] = [];
    for (const testCase of cases()) {
      const { query, kind } = testCase;
      const { status, sent } = await sentFor(await pathOf(testCase), testCase.role);
      const statements = [];
      for (const statement of sent) {
        const plan = await planOf(testPool(), statement);
        // The page's order comes from an index unless q (a trigram index finds rows, it cannot
        // order them) or the deepest OFFSET page (the planner may collect a narrow filter's
        // rows by bitmap and sort them); a count walks the index in order whatever the page.
        const isCount = statement.text.startsWith('SELECT count(*)');
        const inOrder = !query.q && (isCount || kind !== 'deepest page');
        const problems = planProblems(plan, { inOrder });
        statements.push({ text: statement.text, problems, indexes: indexesOf(plan) });
      }
      if (sent.length === 0)
        statements.push({ text: '(none sent)', problems: ['no SQL'], indexes: [] });
      results.push({ name: testCase.name, status, statements });
    }
    return results;
  })();
  return planned;
}

describe('every list statement the API sends, planned on realistic statistics', () => {
  it('When the filters of these cases are compared with the SQL builder, then none is missing', () => {
    // ticketFilter tells which TicketSearch fields become SQL conditions: each one must be
    // combined here, so a new filter cannot reach the API without its plans being checked.
    const read = new Set<string>();
    const probe = new Proxy({} as TicketSearch, {
      get: (_, field) => {
        read.add(String(field));
        return undefined;
      },
    });
    ticketFilter(probe, []);
    // The rest comes from the caller: each role's scope, as tickets.access.ts gives it.
    const scopes = callers(data.users).flatMap(({ user }) => Object.keys(visibleTo(user)));
    const covered = new Set([...Object.values(FROM_QUERY), ...scopes]);

    expect([...read].sort()).toEqual([...covered].sort());
    expect(Object.keys(FILTER_VALUES).sort()).toEqual(Object.keys(FROM_QUERY).sort());
    expect(callers(data.users).map((c) => c.role)).toEqual(ROLES_BY_SCOPE);
  });

  it(`When the table holds ${PLAN_ROWS.toLocaleString('en-US')} tickets, then each case below has rows to page through`, async () => {
    const { rows } = await testPool().query('SELECT count(*)::int AS n FROM tickets');
    const common = await supertest(buildApp().app)
      .get(`/api/v1/tickets?q=${COMMON_WORD}`)
      .set(authAs(callerOf('agent')));

    expect(rows[0].n).toBe(PLAN_ROWS);
    expect(common.body.meta).toMatchObject({ total: 1000, totalExact: false, hasMore: true });
  });

  it('When every combination of filters, page kinds and include is planned, then every statement reads an index and sorts no table', async () => {
    const problems = Object.fromEntries(
      (await plannedCases()).flatMap(({ name, status, statements }) => [
        ...(status === 200 ? [] : [[name, [`status ${status}`]]]),
        // The problem leads (the key), the statement follows: a long diff is cut from its end.
        ...statements.flatMap((s) =>
          s.problems.length ? [[`${name}: ${s.problems.join('; ')}`, s.text]] : [],
        ),
      ]),
    );

    expect(problems).toEqual({});
  }, 120_000);

  it.each([
    ['first page', ''],
    ['deepest page', `?page=${Math.floor((MAX_PAGE_DEPTH - 1) / DEFAULT_PAGE_SIZE) + 1}`],
  ])(
    'When a ticket’s comments are listed (%s), then comments_ticket_created_idx serves them in order',
    async (_, query) => {
      const { status, sent } = await sentFor(
        `/api/v1/tickets/${data.commentedTicketId}/comments${query}`,
        'agent',
      );

      expect(status).toBe(200);
      for (const statement of sent.filter((s) => s.text.includes('FROM comments'))) {
        const plan = await planOf(testPool(), statement);
        expect(planProblems(plan, { inOrder: true })).toEqual([]);
        expect(indexesOf(plan)).toContain('comments_ticket_created_idx');
      }
    },
  );

  it('When every case is planned, then each list index of the migrations serves at least one', async () => {
    const used = new Set(
      (await plannedCases()).flatMap(({ statements }) => statements.flatMap((s) => s.indexes)),
    );

    // An index no statement reads is all cost: every write pays for it (migrations/0009).
    for (const index of [
      'tickets_account_created_idx',
      'tickets_account_status_created_idx',
      'tickets_creator_created_idx',
      'tickets_creator_status_created_idx',
      'tickets_subject_trgm_idx',
      'comments_ticket_created_idx',
    ]) {
      expect(used, index).toContain(index);
    }
  }, 120_000);

  it('When the list indexes are dropped (inside a rolled-back transaction), then a Seq Scan and a Sort', async () => {
    const client = await testPool().connect();
    let nodes: PlanNode[];
    try {
      await client.query('BEGIN');
      for (const index of ['tickets_account_created_idx', 'tickets_account_status_created_idx']) {
        await client.query(`DROP INDEX ${index}`);
      }
      const scoped = { accountId: data.accountId, page: 1, pageSize: 20 };
      // Planned, not run: a sort of the whole table would only cost time.
      nodes = flatten(await planOf(client, listPageSql(scoped), { analyze: false }));
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }

    const shapes = nodes.map(describeNode);
    expect(shapes).toContain('Seq Scan on tickets');
    expect(shapes).toContain('Sort');
    const { rows } = await testPool().query(
      "SELECT 1 FROM pg_indexes WHERE indexname = 'tickets_account_created_idx'",
    );
    expect(rows).toHaveLength(1);
  });
});
