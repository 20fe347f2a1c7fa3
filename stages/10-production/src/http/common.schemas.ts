import { z } from 'zod';

// Building blocks every resource's schemas share. Each takes the label its messages use, so
// the messages stay those stages 02–05 promised ("Subject must be at most 200 characters.").

/**
 * Any 8-4-4-4-12 hex id, either case: what PostgreSQL's uuid type accepts. (z.uuid() would
 * also insist on an RFC 9562 version and variant; our seed data uses ids it would refuse.)
 */
export const IdSchema = z.guid().meta({
  id: 'Id',
  description: 'A UUID (8-4-4-4-12 hex digits).',
  examples: ['0b000000-0000-4000-8000-000000000001'],
});

// PostgreSQL cannot store U+0000 in text; a lone UTF-16 surrogate half ("\ud800" in JSON) is
// not a character at all: written out as UTF-8 it silently becomes U+FFFD. Both are refused.
const NUL = '\u0000';
const LONE_SURROGATE = /\p{Cs}/u;

/** A JSON value that must be a string: missing and wrong type get their own messages. */
export function requiredString(field: string, wrongType = `${field} must be a string.`) {
  return z.string({
    error: (issue) => (issue.input === undefined ? `${field} is required.` : wrongType),
  });
}

/** Refuses U+0000 and lone surrogates, naming the field as `label`. */
export function cleanText<T extends z.ZodString>(schema: T, label: string): T {
  return schema
    .refine(
      (value) => !value.includes(NUL),
      `${label} must not contain the NUL character (U+0000).`,
    )
    .refine(
      (value) => !LONE_SURROGATE.test(value),
      `${label} must be valid Unicode text (no lone surrogate halves).`,
    );
}

interface TextOptions {
  /** The key, for "subject is required." */
  field: string;
  /** The label, for "Subject must be …". */
  label: string;
  max: number;
}

/** Trimmed, non-empty, at most `max` characters after trimming (stages 02–05's subject rule). */
export function nonEmptyText({ field, label, max }: TextOptions) {
  const nonEmpty = `${label} must be a non-empty string.`;
  return cleanText(requiredString(field, nonEmpty).trim().min(1, nonEmpty), label).max(
    max,
    `${label} must be at most ${max} characters.`,
  );
}

/**
 * A whole-number query parameter: digits only ("1.5", "-1", "1e3", " 1" are refused, unlike
 * z.coerce.number()), from 1 to `max`. A repeated name (`?page=1&page=2`) arrives as an array.
 */
export function wholeNumberParam(message: string, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string({ error: message })
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number({ error: message }).int(message).min(1, message).max(max, message));
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** OFFSET reads and throws away every row it skips: deeper than this, follow the cursor. */
export const MAX_PAGE_DEPTH = 10_000;

/**
 * A query string's schema: strict like a body, and an unknown parameter's message lists the
 * known ones (validate() prefixes "<name> is not a parameter here; ").
 */
export function queryObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `use ${known}` : undefined),
  });
}

/** `true` only when A and B are the same type: `const x: Same<A, B> = true` fails to compile otherwise. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
