// LESSON: a long secret is not a strong one. `replace-me-with-32-or-more-random-characters` has
// 44 characters, and whoever read the example it came from can sign a token for any user. So
// production judges the secret the way an attacker would guess it: first the words someone meant
// to replace, then how little its characters vary. HS256 wants a key as long as its hash, 256 bits
// (RFC 7518 §3.2): 32 random bytes, base64url (43 characters), as .env.example shows.

/**
 * Below this estimate (estimatedBits) production refuses the secret. The estimate undercounts
 * short random strings, so the bar sits where key sizes part, measured over 300,000 keys each:
 * 32 random bytes score 170–240 in base64(url) and 215+ in hex; 24 bytes in base64 (192 bits)
 * score 160 at most, 16 bytes in hex and UUIDs below 150. A 256-bit key passes, as RFC 7518 asks.
 * An estimate, not a proof: a long phrase of words may pass it. Generate the secret.
 */
export const PRODUCTION_MIN_SECRET_BITS = 160;

// Long parts are refused anywhere in the secret (`mysupersecretkey…`), short words only whole
// (`my-test-key`), each as people write them (`secret`, `SECRET`, `Secret`): a random key holds a
// given few letters in a given case by chance now and then, six almost never (none of 1,000,000
// base64url keys was refused by these lists).
const PLACEHOLDER_PARTS = [
  'secret',
  'replace',
  'change',
  'example',
  'password',
  'passwd',
  'placeholder',
  'default',
  'sample',
  'insert',
  'random',
  'generate',
  'qwerty',
];
const PLACEHOLDER_WORDS = ['your', 'todo', 'fixme', 'dummy', 'test', 'demo'];

/**
 * Bits an attacker would have to guess, estimated from the secret alone: its length times the
 * Shannon entropy of its characters (how evenly it uses those it uses). Repeats (`aaaa…`, `abab…`,
 * `changemechangeme…`) and small alphabets (digits, hex) score low.
 */
export function estimatedBits(secret: string): number {
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const char of chars) counts.set(char, (counts.get(char) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / chars.length;
    perChar -= p * Math.log2(p);
  }
  return Math.round(perChar * chars.length);
}

/** `abcdef…`, `987654…`: three neighbours in four one code point apart, the same way. */
function isRun(secret: string): boolean {
  const codes = [...secret].map((char) => char.codePointAt(0) ?? 0);
  const steps = codes.slice(1).map((code, i) => code - (codes[i] ?? 0));
  const most = Math.max(...[1, -1].map((way) => steps.filter((step) => step === way).length));
  return most * 4 >= steps.length * 3;
}

const spellings = (word: string) => [
  word,
  word.toUpperCase(),
  `${word.charAt(0).toUpperCase()}${word.slice(1)}`,
];

/** Why production refuses this secret, or undefined. Never quotes the secret, nor a part of it. */
export function weakSecretReason(secret: string): string | undefined {
  const words = secret.split(/[^A-Za-z0-9]+/);
  if (
    PLACEHOLDER_PARTS.some((part) => spellings(part).some((form) => secret.includes(form))) ||
    PLACEHOLDER_WORDS.some((word) => spellings(word).some((form) => words.includes(form)))
  ) {
    return 'looks like a placeholder, not a generated secret';
  }
  if (isRun(secret)) return 'is a run of consecutive characters, not a generated secret';
  const bits = estimatedBits(secret);
  if (bits < PRODUCTION_MIN_SECRET_BITS) {
    return `has too little entropy (about ${bits} bits estimated; production needs ${PRODUCTION_MIN_SECRET_BITS}: 32 random bytes)`;
  }
  return undefined;
}
