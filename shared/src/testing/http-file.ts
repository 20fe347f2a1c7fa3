import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface HttpFileRun {
  exitCode: number | null;
  /** The line of each region (`###`) in the file that heads a request, in file order. */
  regions: number[];
  /**
   * What httpyac reported, per region line: a `@loop` region reports each request it sent (with
   * its checks) plus one entry with the last response.
   */
  sent: Array<{ line: number; title: string; status?: number; checks: string[] }>;
  /** httpyac's own counts: requests processed, and those it skipped or could not send. */
  summary: { totalRequests: number; skippedRequests: number; erroredRequests: number };
  /** "line title: check (why)" for every check that did not pass, and every request not answered. */
  failures: string[];
  /** httpyac's stderr, for the failure message. */
  stderr: string;
}

interface HttpyacJson {
  summary?: HttpFileRun['summary'];
  requests: Array<{
    line: number;
    title?: string;
    response?: { statusCode?: number };
    testResults?: Array<{ message: string; status: string; error?: { displayMessage?: string } }>;
  }>;
}

/**
 * Runs an .http file top to bottom with the httpyac CLI (`httpyac send <file> --all --json`), as a
 * learner would, and reports what was sent and what failed. httpyac is resolved from `cwd` (the
 * stage's own dev dependency). Its JSON goes to a file: piped, a large report is cut off when
 * httpyac exits.
 */
export async function runHttpFile(options: {
  cwd: string;
  file: string;
  vars?: Record<string, string>;
  timeoutMs?: number;
}): Promise<HttpFileRun> {
  const { cwd, file, vars = {}, timeoutMs = 60_000 } = options;
  const require = createRequire(join(cwd, 'package.json'));
  const manifestPath = require.resolve('httpyac/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: { httpyac: string } };
  const bin = join(dirname(manifestPath), manifest.bin.httpyac);
  const args = ['send', file, '--all', '--json'];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}=${value}`);

  const dir = mkdtempSync(join(tmpdir(), 'httpyac-'));
  const outPath = join(dir, 'report.json');
  const out = openSync(outPath, 'w');
  try {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', out, 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    }).finally(() => clearTimeout(timer));
    const text = readFileSync(outPath, 'utf8');
    const report = (text.trim() ? JSON.parse(text) : { requests: [] }) as HttpyacJson;
    return summarise(readFileSync(join(cwd, file), 'utf8'), report, exitCode, stderr);
  } finally {
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarise(
  source: string,
  report: HttpyacJson,
  exitCode: number | null,
  stderr: string,
): HttpFileRun {
  const regions = source
    .split('\n')
    .map((text, index) => ({ text, line: index + 1 }))
    .filter(({ text }) => text.startsWith('###'))
    .map(({ line }) => line);
  const failures: string[] = [];
  const sent = report.requests.map((request) => {
    const title = request.title ?? '';
    const status = request.response?.statusCode;
    const tests = request.testResults ?? [];
    for (const result of tests) {
      if (result.status !== 'SUCCESS') {
        const why = result.error?.displayMessage ?? result.status;
        failures.push(`${request.line} ${title}: ${result.message} (${why})`);
      }
    }
    const checks = tests.map((result) => result.message);
    return { line: request.line, title, status, checks };
  });
  // A `@loop` region's entries do not all carry a response, but one of them must.
  for (const line of regions) {
    if (!sent.some((request) => request.line === line && request.status !== undefined)) {
      failures.push(`${line}: no response (the request was not sent, or nothing answered)`);
    }
  }
  const summary = report.summary ?? { totalRequests: 0, skippedRequests: 0, erroredRequests: 0 };
  return { exitCode, regions, sent, summary, failures, stderr };
}
