import { defineConfig } from 'vitest/config';

// `pnpm test:image`: builds the production image with podman and runs it (scripts/image/). Not
// part of `pnpm test`: it needs podman, takes a minute or two, and downloads packages.
export default defineConfig({
  test: {
    include: ['scripts/image/**/*.test.ts'],
    // The first run makes the local base image and downloads every package of the lockfile.
    hookTimeout: 900_000,
    testTimeout: 60_000,
  },
});
