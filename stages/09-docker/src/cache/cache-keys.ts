// Key layout (every key starts with the configured prefix):
//   <prefix>v:<account>                           the account's version: a new random token on every write
//   <prefix>c:<account>:<version>:<query>         one cached answer
//   <prefix>c:<account>:<version>:<query>:lock    who is loading it right now (SET NX PX)

export function versionKey(prefix: string, accountId: string): string {
  return `${prefix}v:${accountId}`;
}

export function cacheKey(prefix: string, accountId: string, version: string, query: string) {
  return `${prefix}c:${accountId}:${version}:${query}`;
}

export function lockKey(key: string): string {
  return `${key}:lock`;
}

// LESSON: a cache key must hold EVERY input that changes the answer, and each input in one
// spelling only. `{status, page}` and `{page, status}` are one query: keys are sorted, and
// undefined fields dropped, so both get one key. Leave out an input (the customer whose view
// this is) and one caller's answer is served to another.
export function queryKey(name: string, inputs: object): string {
  return `${name}:${stableJson(inputs)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([field, inner]) => `${JSON.stringify(field)}:${stableJson(inner)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
