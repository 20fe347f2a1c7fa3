import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, withErrorTable } from '../../scripts/docs-errors.ts';
import * as errors from '../../src/errors.ts';

const { AppError, ERROR_CATALOGUE } = errors;
/** Every error class errors.ts exports, found by walking the module: none can be left out. */
const CLASSES = Object.values(errors).filter(
  (value): value is typeof AppError =>
    typeof value === 'function' && value.prototype instanceof AppError,
);

describe('the error catalogue', () => {
  it('When errors.ts exports an error class, then the catalogue lists its code once', () => {
    const codes = ERROR_CATALOGUE.map((entry) => entry.code);

    expect(new Set(codes).size).toBe(codes.length);
    expect(CLASSES.map((cls) => cls.code).sort()).toEqual([...codes].sort());
    for (const entry of ERROR_CATALOGUE) expect(entry.when).not.toBe('');
  });

  it('When an error is made, then its status and code are those its class publishes', () => {
    // One sample per class (constructor arguments where the class needs any).
    const samples = [
      new errors.NotFoundError(),
      new errors.MethodNotAllowedError('PUT', ['GET']),
      new errors.MalformedJsonError(),
      new errors.InvalidBodyError(),
      new errors.InvalidQueryError({ page: 'x' }),
      new errors.InvalidIdError(),
      new errors.UnauthenticatedError('x'),
      new errors.InvalidCredentialsError(),
      new errors.ForbiddenError(),
      new errors.NotAcceptableError(),
      new errors.PayloadTooLargeError(1),
      new errors.UnsupportedMediaTypeError(),
      new errors.ValidationError(undefined),
      new errors.ConflictError('x'),
      new errors.BusinessRuleError('x'),
      new errors.ServiceUnavailableError('x', 1),
      new errors.InternalError(),
    ];
    expect(samples.map((e) => e.constructor).sort()).toEqual([...CLASSES].sort());

    for (const error of samples) {
      const cls = error.constructor as typeof AppError;
      expect({ status: error.status, code: error.code }).toEqual({
        status: cls.status,
        code: cls.code,
      });
    }
  });

  it('When the README is read, then its error table is exactly what `pnpm docs:errors` writes', () => {
    const readme = readFileSync(README, 'utf8');

    expect(readme).toBe(withErrorTable(readme));
  });
});
