import { type SpawnOptions, spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface Exit {
  code: number;
  signal: NodeJS.Signals | null;
  /** we passed SIGINT/SIGTERM on: the child was asked to stop, it did not fail by itself */
  interrupted: boolean;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
const isWindows = process.platform === 'win32';

/**
 * Runs a command with its output on our terminal and waits for it. The child gets its own process
 * group so that a signal sent to us reaches the whole tree (pnpm → sh → tsx watch → server): pnpm
 * alone does not pass SIGTERM on, and the server would outlive us. We catch SIGINT/SIGTERM and pass
 * them on instead of dying, so the caller can clean up (close the embedded database) afterwards.
 * stdin is not attached: a background process group that reads the terminal would be stopped.
 */
export function runAttached(command: string, args: string[], options: SpawnOptions): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      shell: isWindows,
      detached: !isWindows,
      ...options,
    });
    let killTimer: NodeJS.Timeout | undefined;
    let interrupted = false;
    const forward = (signal: NodeJS.Signals) => {
      // Once: a Ctrl-C reaches us twice (from the terminal, and relayed by the `pnpm` that runs us),
      // and `tsx watch` takes a second signal as "kill the server now", skipping its clean shutdown.
      if (interrupted) return;
      interrupted = true;
      signalTree(child.pid, signal);
      // a child that ignores the signal must not keep the terminal hostage
      killTimer ??= setTimeout(() => signalTree(child.pid, 'SIGKILL'), 5000).unref();
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const cleanUp = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
      clearTimeout(killTimer);
    };
    child.once('error', (error) => {
      cleanUp();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      cleanUp();
      resolve({
        code: code ?? 128 + (signal ? constants.signals[signal] : 0),
        signal,
        interrupted,
      });
    });
  });
}

function signalTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(isWindows ? pid : -pid, signal);
  } catch {
    // already gone
  }
}
