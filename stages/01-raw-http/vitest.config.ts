import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each worker is reused for many files: importing the app afresh for each file costs more
    // than the tests themselves. Every test builds its own app, so no state crosses files.
    isolate: false,
  },
});
