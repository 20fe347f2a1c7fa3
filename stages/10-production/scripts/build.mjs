// `pnpm build`: TypeScript → JavaScript in dist/, so production runs `node dist/server.js` with
// no tsx and no TypeScript. Plain JavaScript because it runs before anything is compiled.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = (project) => execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });

// A fresh dist: a file deleted from src/ must not live on in the build.
rmSync('dist', { recursive: true, force: true });
run('tsconfig.build.json');

// LESSON: the workspace package @backend-path/shared exports TypeScript sources, which only tsx
// and vitest can load. The build compiles the part src/ uses into dist/node_modules/, where
// Node's resolution finds it first from dist/*.js: the build is self-contained.
run('tsconfig.shared.json');
const shared = 'dist/node_modules/@backend-path/shared';
mkdirSync(shared, { recursive: true });
writeFileSync(
  `${shared}/package.json`,
  `${JSON.stringify({ name: '@backend-path/shared', private: true, type: 'module', exports: { './*': './*.js' } }, null, 2)}\n`,
);
console.log('Built dist/: start it with `node dist/server.js` (pnpm start).');
