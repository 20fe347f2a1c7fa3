import { defineConfig } from 'vitest/config';

// `pnpm test:replicas`: the compiled build three times behind a real nginx, under load for 80 s
// (scripts/replicas/). Not part of `pnpm test`: it needs nginx and takes about two minutes;
// CI runs it as a step of its own (.ci/run).
export default defineConfig({
  test: {
    include: ['scripts/replicas/**/*.test.ts'],
    // The build, a database, Redis, three replicas and nginx, once, before the first case.
    hookTimeout: 300_000,
    testTimeout: 60_000,
  },
});
