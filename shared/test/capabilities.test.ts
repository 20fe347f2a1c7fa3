import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CAPABILITY_CHECKS,
  callerModeOf,
  createCapabilityContext,
  readStageContract,
} from '../src/capabilities/registry.ts';
import { FAKE_ORIGIN, FAULTS, type Fault, startFakeApi } from './fixtures/fake-api.ts';

// A check that cannot fail proves nothing. Each one runs here against a small fake API
// (fixtures/fake-api.ts): it passes where the fake keeps every promise, and fails, naming what
// broke, where the fake breaks the one thing the check is about.

/** The capability of each fault, and what its check's failure must say. */
const BROKEN: Record<Fault, { capability: string; says: RegExp }> = {
  'bare-success-body': { capability: 'envelope', says: /expected the new user in data/ },
  'bare-error-body': { capability: 'envelope', says: /expected the error envelope/ },
  'no-location': {
    capability: 'status-codes',
    says: /expected Location: \/api\/v1\/tickets\/.+, got no such/,
  },
  'keeps-reading-after-413': {
    capability: 'status-codes',
    says: /expected Connection: close, got keep-alive/,
  },
  'unversioned-alias': {
    capability: 'versioned-routes',
    says: /expected 404 .*\n.*GET \/health → 200/,
  },
  'stores-refused-body': { capability: 'validation', says: /expected no new ticket/ },
  'ignores-if-none-match': { capability: 'conditional-get', says: /expected 304/ },
  'cors-wildcard': {
    capability: 'cors',
    says: /Access-Control-Allow-Origin: http:\/\/app\.fake\.test, got \*/,
  },
  'health-needs-caller': {
    capability: 'health',
    says: /expected 200\n.*GET \/api\/v1\/health → 401/,
  },
  'no-event-loop-samples': { capability: 'event-loop-delay', says: /expected samples > 0/ },
  'report-on-main-thread': { capability: 'reports', says: /expected a worker's threadId/ },
  'head-is-405': { capability: 'head-requests', says: /expected 200\n.*HEAD .* → 405/ },
  'uncapped-pages': { capability: 'pagination', says: /expected 400 .*\n.*pageSize=100000 → 200/ },
  'drops-client-request-id': {
    capability: 'request-id',
    says: /X-Request-Id: capability-trace-42, got/,
  },
  'log-without-request-id': { capability: 'access-log', says: /expected a log line with GET/ },
  'no-open-limit': { capability: 'business-rules', says: /expected a refusal by the 11th/ },
  'trusts-unknown-user': {
    capability: 'caller-header',
    says: /expected 401 .*\n.*GET \/api\/v1\/tickets → 200/,
  },
  'malformed-id-is-404': { capability: 'invalid-id', says: /expected 400 \(INVALID_ID\)/ },
  'ignores-q': { capability: 'search', says: /expected only .+, with meta.total 1/ },
  'scans-for-short-q': {
    capability: 'search',
    says: /expected 400 \(INVALID_QUERY\)\n.*q=ab → 200/,
  },
  'cursor-after-last-page': {
    capability: 'bounded-count',
    says: /expected all three tickets, meta.hasMore false and meta.nextCursor null/,
  },
  'comments-newest-first': { capability: 'comments', says: /oldest first/ },
  'logout-keeps-tokens': { capability: 'auth', says: /expected 401 .*\n.*GET \/api\/v1\/me → 200/ },
  'customer-may-delete': { capability: 'roles', says: /expected 403 .*\n.*DELETE .* → 204/ },
  'sees-other-accounts': { capability: 'account-scoping', says: /expected 404 .*\n.*GET .* → 200/ },
  'ignores-accept': { capability: 'content-negotiation', says: /expected 406 \(NOT_ACCEPTABLE\)/ },
  'openapi-3.0': { capability: 'openapi', says: /expected "openapi": "3\.1\.x"/ },
  'no-login-limit': { capability: 'rate-limit', says: /expected 429 \(RATE_LIMIT_EXCEEDED\)/ },
  'stale-cache': { capability: 'cache', says: /expected X-Cache: MISS, got HIT/ },
  'ready-without-postgres': { capability: 'readiness', says: /dependencies\.postgres/ },
  'ignores-idempotency-key': {
    capability: 'idempotency',
    says: /Idempotent-Replayed: true, got no such/,
  },
  'metrics-per-id': {
    capability: 'metrics',
    says: /http_requests_total\{.*\} to go from 0 to 1, got 0/,
  },
  'no-helmet-on-errors': {
    capability: 'security-headers',
    says: /nosniff, got no such header\n.*no-such-route → 404/,
  },
  'text-logs': { capability: 'structured-logs', says: /to be JSON with level, time and requestId/ },
};

/** The capabilities the fake has, as a stage declares them; `caller-header` is proved apart. */
const ALL = Object.keys(CAPABILITY_CHECKS).filter((name) => name !== 'caller-header');

async function runCheck(
  capability: string,
  faults: Fault[],
  declared = ALL,
  options: { anonymous?: boolean } = {},
): Promise<void> {
  const api = await startFakeApi(faults, options);
  try {
    const check = CAPABILITY_CHECKS[capability];
    if (!check) throw new Error(`no check ${capability}`);
    const ctx = createCapabilityContext({
      baseUrl: api.url,
      capabilities: declared,
      allowedOrigin: FAKE_ORIGIN,
      serverOutput: api.output,
    });
    await check.run(ctx);
  } finally {
    await api.close();
  }
}

/** The capabilities the fake's X-User-Id callers (stages 02–04) are checked with. */
const WITH_CALLER_HEADER = [
  ...ALL.filter((name) => !['auth', 'roles', 'account-scoping'].includes(name)),
  'caller-header',
];

describe('the capability checks, on a fake API that keeps every promise', () => {
  for (const capability of ALL) {
    it(`When the fake has ${capability} and callers with tokens, then its check passes`, async () => {
      await runCheck(capability, []);
    });
  }

  it('When the fake is checked as a stage whose callers say X-User-Id, then caller-header and the checks that create tickets pass', async () => {
    for (const capability of ['caller-header', 'status-codes', 'business-rules', 'pagination']) {
      await runCheck(capability, [], WITH_CALLER_HEADER);
    }
  });

  it('When the fake is checked as a stage without callers, then the checks of stage 01 pass', async () => {
    const stage01 = ['envelope', 'status-codes', 'validation', 'conditional-get', 'cors'];
    for (const capability of stage01) await runCheck(capability, [], stage01, { anonymous: true });
  });
});

describe('the capability checks, on a fake API that breaks one promise', () => {
  for (const fault of FAULTS) {
    const { capability, says } = BROKEN[fault];
    const declared = capability === 'caller-header' ? WITH_CALLER_HEADER : ALL;
    it(`When the fake's fault is ${fault}, then the ${capability} check fails saying so`, async () => {
      await expect(runCheck(capability, [fault], declared)).rejects.toThrow(says);
    });
  }

  it('When a check is registered, then some fault proves it can fail', () => {
    const proven = new Set(Object.values(BROKEN).map(({ capability }) => capability));

    expect(Object.keys(CAPABILITY_CHECKS).filter((name) => !proven.has(name))).toEqual([]);
  });

  it('When a check is registered, then its name is the one a stage declares and its test name reads "When …, then …"', () => {
    for (const [name, check] of Object.entries(CAPABILITY_CHECKS)) {
      expect(check.name).toBe(name);
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(check.promise).not.toMatch(/^(then|when)\b|\.$/i);
    }
  });
});

describe('what a stage declares', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capabilities-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('When package.json declares capabilities and changes, then readStageContract returns them', () => {
    const backendPath = {
      needs: ['postgres'],
      capabilities: ['envelope', 'auth'],
      capabilityChanges: { 'caller-header': 'a token replaces it' },
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', backendPath }));

    expect(readStageContract(dir)).toEqual(backendPath);
  });

  it('When package.json declares nothing, then the contract is empty', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x' }));

    expect(readStageContract(dir)).toEqual({ needs: [], capabilities: [], capabilityChanges: {} });
  });

  it('When auth is declared, then the checks log in; with caller-header they send X-User-Id; else nobody', () => {
    expect(callerModeOf(['auth', 'caller-header'])).toBe('jwt-login');
    expect(callerModeOf(['caller-header'])).toBe('x-user-id');
    expect(callerModeOf(['envelope'])).toBe('none');
  });
});
