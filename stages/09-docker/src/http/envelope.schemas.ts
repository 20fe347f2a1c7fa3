import { z } from 'zod';

// LESSON: the response shapes are schemas too. The types below are inferred from them, and the
// OpenAPI document is generated from the same objects: what we say we send and what the code
// sends cannot drift apart without a compiler error or a failing contract test.

export const FieldErrorsSchema = z.record(z.string(), z.string()).meta({
  id: 'FieldErrors',
  description: 'Each invalid field (dotted path for nested ones) with what is wrong with it.',
  examples: [{ subject: 'Subject must be at most 200 characters.', extra: 'Unknown field.' }],
});

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable and machine-readable: branch on this.' }),
      message: z.string().meta({ description: 'For humans; may change.' }),
      fields: FieldErrorsSchema.optional(),
    }),
  })
  .meta({
    id: 'ErrorEnvelope',
    description: 'Every error, whatever its status.',
    examples: [
      {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Some fields are invalid.',
          fields: { priority: 'Priority must be one of: low, medium, high, critical.' },
        },
      },
    ],
  });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

export const PageMetaSchema = z
  .object({
    page: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'null on a keyset page (`?after=`): it has no number.' }),
    pageSize: z.number().int(),
    total: z.number().int().meta({
      description: 'Matching items, counted up to 1000: no request counts a whole table.',
    }),
    totalExact: z.boolean().meta({
      description: 'false: more than `total` match, which is then a lower bound ("1000+").',
    }),
    totalPages: z.number().int().meta({ description: 'The pages `total` fills.' }),
    hasMore: z.boolean().meta({ description: 'Whether another page follows this one.' }),
    nextCursor: z
      .string()
      .nullable()
      .optional()
      .meta({ description: '`?after=` this for the next page; null when none follows.' }),
    commentsPerTicket: z
      .number()
      .int()
      .optional()
      .meta({ description: 'On `?include=comments`: the most comments each ticket carries.' }),
  })
  .meta({
    id: 'PageMeta',
    description: 'Where this page is in the whole list.',
    examples: [
      {
        page: 1,
        pageSize: 20,
        total: 42,
        totalExact: true,
        totalPages: 3,
        hasMore: true,
        nextCursor:
          'WyIyMDI2LTAxLTAxVDA5OjAwOjAwLjAwMFoiLCIwZDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEiXQ',
      },
    ],
  });
export type PageMeta = z.infer<typeof PageMetaSchema>;

/** `{ "data": T }`: every success with a body. */
export function dataEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ data });
}

/** `{ "data": T[], "meta": PageMeta }`: every list. */
export function pageEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), meta: PageMetaSchema });
}
