import { describe, expect, it } from 'vitest';
import { captureLogs } from '../src/testing/console-log-capture.ts';

describe('captureLogs (the console-style logger of stages 01–09, kept in memory)', () => {
  it('When a line is logged as (fields, message), then events() finds it by name with its fields', () => {
    const logs = captureLogs();

    logs.logger.error({ event: 'cache.invalidate_failed', reason: 'ECONNREFUSED' }, 'could not');
    logs.logger.info({ event: 'other' }, 'fine');

    expect(logs.events('cache.invalidate_failed')).toEqual([
      { level: 50, event: 'cache.invalidate_failed', reason: 'ECONNREFUSED', msg: 'could not' },
    ]);
    expect(logs.events('missing')).toEqual([]);
  });

  it('When a line is logged console-style as (message, error), then the error is its err', () => {
    const logs = captureLogs();
    const failure = new Error('boom');

    logs.logger.error('GET /x failed:', failure);
    logs.logger.error('thrown:', 'just a string');

    expect(logs.errors().map((line) => [line.msg, line.err])).toEqual([
      ['GET /x failed:', failure],
      ['thrown:', 'just a string'],
    ]);
  });

  it('When info and error lines are logged, then errors() holds only the error ones, lines() all, in order', () => {
    const logs = captureLogs();

    logs.logger.info('GET /health 200 1.0ms');
    logs.logger.error('it broke');

    expect(logs.lines().map((line) => [line.level, line.msg])).toEqual([
      [30, 'GET /health 200 1.0ms'],
      [50, 'it broke'],
    ]);
    expect(logs.errors().map((line) => line.msg)).toEqual(['it broke']);
  });

  it('When anything is logged, then raw holds it as console would print it, and nothing is printed', () => {
    const logs = captureLogs();
    const printed: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => printed.push(args);
    try {
      logs.logger.error({ event: 'x', n: 1 }, 'msg');
      logs.logger.error('token %s', 'abc');
    } finally {
      console.error = original;
    }

    expect(logs.raw).toEqual(["{ event: 'x', n: 1 } msg", 'token abc']);
    expect(printed).toEqual([]);
  });
});
