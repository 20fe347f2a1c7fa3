import { defineConfig } from 'vitest/config';
import { unitSuite } from './vitest.config.ts';

// Stryker's vitest runner has no "project" option: it runs whatever this config holds, for each
// mutant. Only the unit suite — a mutant is killed in milliseconds, without a database.
export default defineConfig({ test: unitSuite });
