import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// Found from this file, not from process.cwd(): the same folder whether a stage, a script or vitest runs us.
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const PGLITE_DATA_ROOT = join(REPO_ROOT, '.data', 'pglite');

/**
 * The contrib extensions the stages' migrations create. PGlite builds each one into its bundle
 * and can load it only when it is named here, at creation: `CREATE EXTENSION pg_trgm` (the
 * trigram index of `?q=`, stage 03 on) fails otherwise. PostgreSQL ships it in contrib.
 */
const OPTIONS: PGliteOptions = { extensions: { pg_trgm } };

/**
 * Where disposable data dirs (test runs: templates, worker copies) live: in memory (/dev/shm)
 * where Linux offers enough of it, else with the rest in .data/pglite. Each is a 40 MB copy,
 * deleted after the run: on a VM's disk, copying one was seen to take 1–2 s and deleting it
 * 1.8 s (the blocks written back, then discarded); in memory, 0.1 s and nothing.
 */
export const PGLITE_TEST_ROOT = memoryRoot() ?? PGLITE_DATA_ROOT;

function memoryRoot(): string | undefined {
  const shm = '/dev/shm';
  if (process.platform !== 'linux') return undefined;
  try {
    accessSync(shm, constants.W_OK);
    // Docker gives containers 64 MB: room for one copy. Below 1 GiB free, stay on disk.
    const { bavail, bsize } = statfsSync(shm);
    if (bavail * bsize < 1024 ** 3) return undefined;
  } catch {
    return undefined;
  }
  return join(shm, 'backend-path-pglite');
}

export interface PgliteServer {
  url: string;
  /** For messages: relative to the repo root (`.data/pglite/dev`), or the full path outside it. */
  dataDir: string;
  close(): Promise<void>;
}

// Data dirs opened by this process: tells our own stale lock (a reused pid) from a live one.
const openInThisProcess = new Set<string>();

/** A new disposable data dir for `name`, not opened: a copy of `.blank` (an empty database). */
export async function createPgliteDataDir(name: string): Promise<string> {
  const dataDir = dataDirOf(name, true);
  mkdirSync(PGLITE_TEST_ROOT, { recursive: true });
  await copyBlank(dataDir);
  return shownPath(dataDir);
}

/**
 * PGlite (real Postgres compiled to WebAssembly) behind a TCP socket on a free port, so `pg`, Prisma
 * and TypeORM connect to it like to any server. `disposable` data (tests) is wiped when it cannot
 * be opened; anything else is left for the user to decide.
 */
export async function startPgliteServer(
  name: string,
  options: { disposable?: boolean } = {},
): Promise<PgliteServer> {
  const disposable = options.disposable ?? false;
  const dataDir = dataDirOf(name, disposable);
  const shown = shownPath(dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  const releaseLock = acquireLock(dataDir, shown);
  try {
    const db = await openPglite(dataDir, shown, disposable);
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

/** Disposable data (tests) in PGLITE_TEST_ROOT, the rest in .data/pglite. */
export function dataDirOf(name: string, disposable: boolean): string {
  const root = disposable ? PGLITE_TEST_ROOT : PGLITE_DATA_ROOT;
  return join(root, name.replace(/[^a-zA-Z0-9_-]/g, '_'));
}

/** For messages: `.data/pglite/dev` inside the repo, the full path elsewhere. */
function shownPath(dataDir: string): string {
  const inRepo = relative(REPO_ROOT, dataDir);
  return inRepo.startsWith('..') || isAbsolute(inRepo) ? dataDir : inRepo;
}

async function openPglite(dataDir: string, shown: string, disposable: boolean): Promise<PGlite> {
  // A new data dir (a test run's, or a learner's first `pnpm stage`) is a copy of `.blank`.
  const fresh = !existsSync(dataDir);
  if (fresh) await copyBlank(dataDir);
  try {
    return await PGlite.create(dataDir, OPTIONS);
  } catch (error: unknown) {
    // Disposable data, or a copy of a blank that this PGlite cannot open (made by another
    // version): start over with initdb.
    if (disposable || fresh) {
      rmSync(dataDir, { recursive: true, force: true });
      return PGlite.create(dataDir, OPTIONS);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not open the PGlite data in ${shown} (${reason}). To start from an empty database, delete it: rm -rf ${shown}`,
      { cause: error },
    );
  }
}

// Creating a data dir (initdb) costs several times what copying and reopening an empty one does:
// every new data dir is a copy of `.blank`, made once per checkout (in `root`) and never opened again.
export async function copyBlank(dataDir: string, root = PGLITE_DATA_ROOT): Promise<void> {
  const blank = join(root, '.blank');
  if (!existsSync(blank)) {
    // On a fresh clone the first data dir may be a test's, in memory (/dev/shm): nothing has
    // made .data/pglite yet, and PGlite does not make a data dir's parents.
    mkdirSync(root, { recursive: true });
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
