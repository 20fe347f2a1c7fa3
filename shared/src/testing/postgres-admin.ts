import pg from 'pg';

/** The same server and credentials, another database: `withDatabase(url, 'postgres')`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** For banners and logs: never print a password. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export async function connectClient(url: string, timeoutMs = 1_500): Promise<pg.Client> {
  // A short timeout: a server that is not there must cost us a second, not pg's default of forever.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // These clients live for one or two statements; an error while idle must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error: unknown) {
    // Not awaited: ending a client whose connect failed can wait on a socket that never answers.
    client.end().catch(() => {});
    throw error;
  }
}

/** null when the server answers, otherwise a short reason for the banner. */
export async function probeServer(url: string): Promise<string | null> {
  try {
    const client = await connectClient(url);
    await client.end();
    return null;
  } catch (error: unknown) {
    const code = (error as { code?: string }).code;
    const notThere = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];
    const message = error instanceof Error ? error.message : String(error);
    if ((code && notThere.includes(code)) || /timeout/i.test(message)) return 'not running';
    return `refused us: ${message}`;
  }
}

/** CREATE DATABASE unless it exists. `adminUrl` points at any database of that server that exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = await connectClient(adminUrl);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (error: unknown) {
    // Another process (a second test run) created it between our SELECT and CREATE: fine.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await client.end();
  }
}
