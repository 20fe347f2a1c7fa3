import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// Found from this file, not from process.cwd(): the same folder whether a stage, a script or vitest runs us.
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const PGLITE_DATA_ROOT = join(REPO_ROOT, '.data', 'pglite');

export interface PgliteServer {
  url: string;
  /** Relative to the repo root, for messages: `.data/pglite/dev`. */
  dataDir: string;
  close(): Promise<void>;
}

// Data dirs opened by this process: tells our own stale lock (a reused pid) from a live one.
const openInThisProcess = new Set<string>();

/**
 * PGlite (real Postgres compiled to WebAssembly) behind a TCP socket on a free port, so `pg`, Prisma
 * and TypeORM connect to it like to any server. `disposable` data (tests) is wiped when it cannot
 * be opened; anything else is left for the user to decide.
 */
export async function startPgliteServer(
  name: string,
  options: { disposable?: boolean } = {},
): Promise<PgliteServer> {
  const dataDir = join(PGLITE_DATA_ROOT, name.replace(/[^a-zA-Z0-9_-]/g, '_'));
  const shown = relative(REPO_ROOT, dataDir);
  mkdirSync(PGLITE_DATA_ROOT, { recursive: true });
  const releaseLock = acquireLock(dataDir, shown);
  try {
    const db = await openPglite(dataDir, shown, options.disposable ?? false);
    // port 0: the OS picks a free port and the server reads it back, so no other process can take it
    // between "find a free port" and "listen".
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 100 });
    await server.start();
    let closing: Promise<void> | undefined;
    return {
      url: `postgres://postgres@${server.getServerConn()}/postgres`,
      dataDir: shown,
      close() {
        closing ??= (async () => {
          try {
            await server.stop();
            await db.close();
          } finally {
            releaseLock();
          }
        })();
        return closing;
      },
    };
  } catch (error: unknown) {
    releaseLock();
    throw error;
  }
}

async function openPglite(dataDir: string, shown: string, disposable: boolean): Promise<PGlite> {
  if (disposable && !existsSync(dataDir)) await copyBlank(dataDir);
  try {
    return await PGlite.create(dataDir);
  } catch (error: unknown) {
    if (disposable) {
      rmSync(dataDir, { recursive: true, force: true });
      return PGlite.create(dataDir);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not open the PGlite data in ${shown} (${reason}). To start from an empty database, delete it: rm -rf ${shown}`,
      { cause: error },
    );
  }
}

// Creating a data dir (initdb) costs several times what copying and reopening an empty one does:
// test runs, which create one per run, copy `.blank`, made once and never opened again.
async function copyBlank(dataDir: string): Promise<void> {
  const blank = join(PGLITE_DATA_ROOT, '.blank');
  if (!existsSync(blank)) {
    const making = `${blank}-${process.pid}-${Date.now()}`;
    await (await PGlite.create(making)).close();
    try {
      // Two runs may make one at once: the first rename wins, the other is thrown away.
      renameSync(making, blank);
    } catch {
      rmSync(making, { recursive: true, force: true });
    }
  }
  cpSync(blank, dataDir, { recursive: true });
}

// Two processes on one data dir corrupt it (PGlite has no postmaster to refuse the second one).
// A crashed run leaves its lock behind with a dead pid: that lock is simply taken over.
function acquireLock(dataDir: string, shown: string): () => void {
  const lockFile = `${dataDir}.lock`;
  const me = String(process.pid);
  try {
    writeFileSync(lockFile, me, { flag: 'wx' });
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number(readFileSync(lockFile, 'utf8').trim());
    const ownedByMe = owner === process.pid && openInThisProcess.has(dataDir);
    if (ownedByMe || (owner !== process.pid && isAlive(owner))) {
      throw new Error(
        `The PGlite data in ${shown} is already in use by process ${owner} (PGlite allows one process per data dir). ` +
          `Stop that process, or start Postgres (docker compose up -d postgres), or set DATABASE_URL. ` +
          `If no such process uses it, delete ${shown}.lock`,
      );
    }
    writeFileSync(lockFile, me);
  }
  openInThisProcess.add(dataDir);
  const release = () => {
    openInThisProcess.delete(dataDir);
    try {
      if (readFileSync(lockFile, 'utf8') === me) unlinkSync(lockFile);
    } catch {
      // already gone: nothing to release
    }
  };
  process.once('exit', release);
  return () => {
    process.off('exit', release);
    release();
  };
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
