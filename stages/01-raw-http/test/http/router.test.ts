import { describe, expect, it } from 'vitest';
import { createRouter, type Handler, splitUrl } from '../../src/http/router.ts';

const list: Handler = async () => {};
const create: Handler = async () => {};
const read: Handler = async () => {};
const remove: Handler = async () => {};
const resolve: Handler = async () => {};

const router = createRouter([
  { method: 'GET', path: '/tickets', handler: list },
  { method: 'POST', path: '/tickets', handler: create },
  { method: 'GET', path: '/tickets/:id', handler: read },
  { method: 'DELETE', path: '/tickets/:id', handler: remove },
  { method: 'POST', path: '/tickets/:id/resolve', handler: resolve },
]);

describe('createRouter().match', () => {
  it('When method and path match a route, then its handler is found', () => {
    expect(router.match('GET', '/tickets')).toEqual({ kind: 'found', handler: list, params: {} });
    expect(router.match('POST', '/tickets')).toMatchObject({ handler: create });
  });

  it('When the path has a :param, then its decoded value is returned', () => {
    expect(router.match('GET', '/tickets/a%20b')).toEqual({
      kind: 'found',
      handler: read,
      params: { id: 'a b' },
    });
    expect(router.match('POST', '/tickets/42/resolve')).toEqual({
      kind: 'found',
      handler: resolve,
      params: { id: '42' },
    });
  });

  it('When the path exists but not with this method, then method-not-allowed lists its methods plus OPTIONS', () => {
    expect(router.match('PUT', '/tickets/7')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'DELETE', 'OPTIONS'],
    });
  });

  it('When the method is OPTIONS on a known path, then options with the same list', () => {
    expect(router.match('OPTIONS', '/tickets')).toEqual({
      kind: 'options',
      allow: ['GET', 'POST', 'OPTIONS'],
    });
  });

  it.each(['/', '/ticket', '/tickets/7/8', '/TICKETS', '/tickets//', '/tickets/%E0%A4%A'])(
    'When the path is %s, then not-found',
    (path) => {
      expect(router.match('GET', path)).toEqual({ kind: 'not-found' });
    },
  );

  it('When the path ends with one slash, then it matches as without', () => {
    expect(router.match('GET', '/tickets/')).toMatchObject({ kind: 'found', handler: list });
    expect(router.match('GET', '/tickets/9/')).toMatchObject({
      handler: read,
      params: { id: '9' },
    });
  });
});

describe('splitUrl', () => {
  it('When the URL has a query string, then path and parameters are separated', () => {
    const { pathname, query } = splitUrl('/reports?mode=worker&x=1');

    expect(pathname).toBe('/reports');
    expect(query.get('mode')).toBe('worker');
  });

  it('When the path starts with //, then it stays a path (not a host name)', () => {
    expect(splitUrl('//evil.example/tickets').pathname).toBe('//evil.example/tickets');
  });
});
