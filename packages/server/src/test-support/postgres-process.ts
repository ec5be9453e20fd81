import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis.js';

const run = promisify(execFile);

/**
 * A PostgreSQL server of one test's own (the system's binaries, a data folder
 * in /tmp, its own port), for tests that stop and restart it under load: the
 * shared server on 5432 serves other tests meanwhile. PostgreSQL refuses to
 * run as root, so as root it runs as the `postgres` user the Debian package made.
 */
export class PostgresProcess {
  private constructor(
    readonly folder: string,
    readonly port: number,
    readonly bin: string,
    readonly asUser: string | undefined,
  ) {}

  static async start(): Promise<PostgresProcess> {
    const bin = binaries();
    const asUser = process.getuid?.() === 0 ? 'postgres' : undefined;
    const folder = mkdtempSync(join(tmpdir(), 'parley-pg-'));
    if (asUser) {
      const { stdout } = await run('id', ['-u', asUser]);
      chownSync(folder, Number(stdout.trim()), process.getgid?.() ?? 0);
    }
    const server = new PostgresProcess(folder, await freePort(), bin, asUser);
    await server.#pg('initdb', ['-D', server.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await server.restart();
    return server;
  }

  /** The server's admin URL (databases are created on it: `createTestDatabase(label, url)`). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get data(): string {
    return join(this.folder, 'data');
  }

  /** Starts it (again, on its port) and resolves once it accepts connections. */
  async restart(): Promise<void> {
    // fsync off: the test restarts the server, it never crashes the machine.
    const options = `-p ${this.port} -k ${this.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    await this.#pg('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.folder, 'log'), '-w', '-t', '60', 'start']);
  }

  /** A fast shutdown: every connection is cut at once, as in a restart for an upgrade. */
  async stop(): Promise<void> {
    await this.#pg('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Stops it if it runs and removes its folder. */
  async remove(): Promise<void> {
    if (existsSync(join(this.data, 'postmaster.pid'))) await this.stop().catch(() => {});
    rmSync(this.folder, { recursive: true, force: true });
  }

  async #pg(command: string, args: string[]): Promise<void> {
    const program = join(this.bin, command);
    try {
      await (this.asUser ? run('runuser', ['-u', this.asUser, '--', program, ...args]) : run(program, args));
    } catch (error) {
      throw new Error(`${command} failed (PostgreSQL's server binaries are needed: apt-get install postgresql, or run .ci/run): ${String(error)}`, { cause: error });
    }
  }
}

/** The newest installed PostgreSQL's server binaries (Debian keeps them out of PATH). */
function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(a) - Number(b)) : [];
  const newest = versions.at(-1);
  if (!newest) throw new Error(`No PostgreSQL server binaries in ${root}: apt-get install postgresql, or run .ci/run.`);
  return join(root, newest, 'bin');
}
