import { COMMENT_LIMITS } from '@backend-path/shared/domain/comments';
import { type FieldErrors, InvalidBodyError, ValidationError } from '../errors.ts';

const { bodyMaxLength } = COMMENT_LIMITS;

/** `{ "body": "…" }` → the body. 400 when the JSON is not an object; 422 naming each bad field. */
export function validateNewComment(input: unknown): string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidBodyError();
  }
  // No prototype, so an unknown `__proto__` key is recorded like any other (tickets.validation.ts).
  const errors: FieldErrors = Object.create(null);
  for (const key of Object.keys(input)) {
    if (key !== 'body') errors[key] = 'Unknown field.';
  }
  const { body } = input as { body?: unknown };
  if (typeof body !== 'string' || body.trim() === '') {
    errors.body = 'Body must be a non-empty string.';
  } else if (body.includes('\u0000')) {
    errors.body = 'Body must not contain the NUL character (U+0000).';
  } else if (body.length > bodyMaxLength) {
    errors.body = `Body must be at most ${bodyMaxLength} characters.`;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return body as string;
}
