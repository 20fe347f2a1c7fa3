import { z } from 'zod';

/** Documents the header (idempotency.middleware.ts parses it: a quoted or bare key). */
export const IdempotencyHeadersSchema = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(257)
    .optional()
    .meta({
      description:
        'Any unique value (a UUID) per operation, 1–255 printable ASCII characters, as a ' +
        'Structured Field string ("…") or bare. A retry with the same key and body replays ' +
        'the first answer; kept 24 hours.',
      examples: ['"8e03978e-40d5-43e8-bc93-6894a57f9324"'],
    }),
});

/** The header a replayed answer adds to the original's. */
export const IDEMPOTENT_REPLAYED_HEADER = {
  'Idempotent-Replayed':
    '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.',
};

/** The errors a keyed create adds. */
export const IDEMPOTENCY_ERRORS = [
  'INVALID_IDEMPOTENCY_KEY',
  'IDEMPOTENCY_KEY_IN_FLIGHT',
  'IDEMPOTENCY_KEY_REUSED',
] as const;
