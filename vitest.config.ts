import { defineConfig } from 'vitest/config';

// The root project tests only the root commands (scripts/); shared and every stage have their own
// vitest config, and `pnpm test` runs each of them.
export default defineConfig({
  test: {
    include: ['scripts/test/**/*.test.ts'],
    // most cases call a command's main in this process; one per command spawns it, some of which
    // start vitest, pnpm or Chromium
    testTimeout: 60_000,
    // …and mostly wait for those processes: files run side by side, more of them than cores.
    maxWorkers: 4,
    // The files share no state (each makes its own temp repos, ports and servers): a worker runs
    // several of them without a fresh process for each, which costs more CPU than most files use.
    isolate: false,
    hookTimeout: 60_000,
  },
});
