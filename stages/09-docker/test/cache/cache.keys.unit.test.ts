import { describe, expect, it } from 'vitest';
import { cacheKey, lockKey, queryKey, versionKey } from '../../src/cache/cache-keys.ts';

describe('cache keys', () => {
  it('When the same query comes with its fields in another order, then it gets one key', () => {
    expect(queryKey('tickets', { status: 'open', page: 2, pageSize: 20 })).toBe(
      queryKey('tickets', { pageSize: 20, page: 2, status: 'open' }),
    );
  });

  it('When a field is undefined, then the key is that of the query without it', () => {
    expect(queryKey('tickets', { status: undefined, page: 1 })).toBe(
      queryKey('tickets', { page: 1 }),
    );
  });

  it.each([
    ['another value', { page: 1, status: 'open' }, { page: 1, status: 'closed' }],
    ['another customer', { page: 1, createdBy: 'a' }, { page: 1, createdBy: 'b' }],
    ['a number vs its string', { page: 1 }, { page: '1' }],
    ['null vs absent', { assigneeId: null }, {}],
    ['nested order', { tags: ['a', 'b'] }, { tags: ['b', 'a'] }],
  ])('When two queries differ by %s, then their keys differ', (_case, a, b) => {
    expect(queryKey('tickets', a)).not.toBe(queryKey('tickets', b));
  });

  it('When two reads have the same inputs but another name, then their keys differ', () => {
    expect(queryKey('tickets', { page: 1 })).not.toBe(queryKey('tickets+comments', { page: 1 }));
  });

  it('When a field name holds a quote or a colon, then it cannot pass for another field', () => {
    expect(queryKey('t', { 'a":1,"b': 2 })).not.toBe(queryKey('t', { a: 1, b: 2 }));
  });

  it('When keys are built, then each holds the prefix, the account and (for answers) the version', () => {
    expect(versionKey('bp:cache:', 'acme')).toBe('bp:cache:v:acme');
    const key = cacheKey('bp:cache:', 'acme', '7', 'tickets:{"page":1}');
    expect(key).toBe('bp:cache:c:acme:7:tickets:{"page":1}');
    expect(lockKey(key)).toBe(`${key}:lock`);
  });
});

describe('cache keys: the one spelling', () => {
  it('When a query nests objects and arrays in any order, then the key spells it sorted, compact, arrays in order', () => {
    const key = queryKey('tickets', {
      z: [2, 'x', { b: 1, a: null }],
      m: { d: undefined, c: true },
    });

    expect(key).toBe('tickets:{"m":{"c":true},"z":[2,"x",{"a":null,"b":1}]}');
  });
});
