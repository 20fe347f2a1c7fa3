import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_VALUES, envSchema } from '../../src/config.schema.ts';
import { ConfigError, loadServerConfig } from '../../src/config.ts';

// .env.example is the documentation of the configuration: this keeps it true to the schema.
const EXAMPLE = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
const LINES = EXAMPLE.split('\n');
/** `KEY=value` and commented-out `# KEY=value` lines: the variables the file names. */
const VARIABLE_LINE = /^(?:# )?([A-Z][A-Z0-9_]*)=/;

function documentedVariables(): string[] {
  return LINES.flatMap((line) => VARIABLE_LINE.exec(line)?.[1] ?? []);
}

describe('.env.example', () => {
  it('When compared with the schema, then it names every variable once and no other', () => {
    const names = documentedVariables();

    expect([...names].sort()).toEqual(Object.keys(envSchema.shape).sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('When a variable is read, then a comment above it (in its block of lines) says what it is', () => {
    const undocumented = LINES.flatMap((line, index) => {
      const name = VARIABLE_LINE.exec(line)?.[1];
      if (!name) return [];
      let above = index - 1;
      while (above >= 0 && VARIABLE_LINE.test(LINES[above] ?? '')) above--;
      return (LINES[above] ?? '').startsWith('# ') ? [] : [name];
    });

    expect(undocumented).toEqual([]);
  });

  it('When copied to .env as is, then it is a working development configuration', () => {
    expect(() => loadServerConfig(parseEnv(EXAMPLE))).not.toThrow();
  });

  it('When its values reach production, then the boot refuses its secret, database, Redis and origins', () => {
    const env = { ...parseEnv(EXAMPLE), NODE_ENV: 'production' };

    expect(parseEnv(EXAMPLE).JWT_SECRET).toBe(DEVELOPMENT_VALUES.JWT_SECRET);
    expect(() => loadServerConfig(env)).toThrow(ConfigError);
    expect(() => loadServerConfig(env)).toThrow(/JWT_SECRET must not be the example secret/);
    expect(() => loadServerConfig(env)).toThrow(/DATABASE_URL must not be the development value/);
    expect(() => loadServerConfig(env)).toThrow(/CORS_ORIGINS must not be the development value/);
    expect(() => loadServerConfig(env)).toThrow(/REDIS_URL must not be the development value/);
  });
});
