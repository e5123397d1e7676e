/**
 * A real S3-compatible server for tests and benchmarks: Debian's OpenStack Swift with its s3api layer, as a
 * single-node all-in-one in a temporary folder, on free loopback ports, so several test files can each run
 * their own. `startSwift()` writes the configuration and rings, starts memcached (tempauth keeps its tokens
 * there) and the account, container, object and proxy servers, and waits until each answers /healthcheck.
 * `stop()` ends exactly those processes and removes the folder.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Swift is packaged for Debian's own Python, not whatever `python3` comes first on the PATH. */
const PYTHON = '/usr/bin/python3';
const SERVERS = ['account', 'container', 'object', 'proxy'] as const;
type ServerName = (typeof SERVERS)[number];
const INSTALL_HINT =
  'Install it with: apt-get install -y --no-install-recommends swift swift-proxy swift-object swift-container swift-account memcached';

/** Users tempauth knows: an administrator of the `test` account and a user of it with no rights. */
export const SWIFT_ADMIN = { accessKeyId: 'test:tester', secretAccessKey: 'testing' } as const;
export const SWIFT_NO_RIGHTS = { accessKeyId: 'test:reader', secretAccessKey: 'reading' } as const;
/** The Region s3api reports for every bucket. */
export const SWIFT_REGION = 'us-east-1';

export interface SwiftServer {
  /** `http://127.0.0.1:<port>`: the S3 endpoint (path-style). */
  readonly endpoint: string;
  readonly port: number;
  /**
   * Stores every file under `folder` as `bucket/prefix<relative path>` in an existing bucket, through Swift's
   * bulk extract of tar archives (several at once): fewer round trips than one S3 PUT per object.
   * Returns the number of objects created.
   */
  uploadFolder(folder: string, bucket: string, prefix: string): Promise<number>;
  stop(): Promise<void>;
}

/** A port nothing listens on right now; the kernel picks it, so parallel test files do not collide. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('the kernel gave no port'));
      });
    });
  });
}

function assertInstalled(): void {
  const missing = [
    PYTHON,
    '/usr/bin/memcached',
    '/usr/bin/swift-ring-builder',
    ...SERVERS.map((s) => `/usr/bin/swift-${s}-server`),
  ].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `The S3 tests need OpenStack Swift with s3api and memcached, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ${INSTALL_HINT}`,
    );
  }
}

const backendConf = (dir: string, name: string, port: number) => `[DEFAULT]
swift_dir = ${dir}/conf
devices = ${dir}/srv
mount_check = false
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
log_level = ERROR
user = ${userInfo().username}
[pipeline:main]
pipeline = healthcheck ${name}-server
[filter:healthcheck]
use = egg:swift#healthcheck
[app:${name}-server]
use = egg:swift#${name}
[${name}-replicator]
[${name}-auditor]
[${name}-updater]
[object-expirer]
`;

const proxyConf = (dir: string, port: number, memcachedPort: number) => `[DEFAULT]
swift_dir = ${dir}/conf
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
log_level = ERROR
user = ${userInfo().username}
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
[filter:s3api]
use = egg:swift#s3api
location = ${SWIFT_REGION}
s3_acl = false
check_bucket_owner = false
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = ${SWIFT_ADMIN.secretAccessKey} .admin
user_test_reader = ${SWIFT_NO_RIGHTS.secretAccessKey}
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${memcachedPort}
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
`;

/** Waits for `GET url` to answer 200, polling every 100 ms for at most `timeoutMs`. */
async function waitHealthy(url: string, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms. Its log:\n${log.slice(-2000)}`);
}

/** SIGTERM, then SIGKILL if the process has not exited within 5 s. Only the given process. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startSwift(): Promise<SwiftServer> {
  assertInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'patchboard-swift-'));
  const children: ChildProcess[] = [];
  try {
    await mkdir(join(dir, 'conf'));
    await mkdir(join(dir, 'srv', 'sdb1'), { recursive: true });
    await writeFile(join(dir, 'conf', 'swift.conf'), '[swift-hash]\nswift_hash_path_suffix = patchboard\n');
    const ports = {
      memcached: await freePort(),
      account: await freePort(),
      container: await freePort(),
      object: await freePort(),
      proxy: await freePort(),
    };
    for (const name of ['account', 'container', 'object'] as const) {
      await writeFile(join(dir, 'conf', `${name}-server.conf`), backendConf(dir, name, ports[name]));
      const builder = join(dir, 'conf', `${name}.builder`);
      await exec(PYTHON, ['/usr/bin/swift-ring-builder', builder, 'create', '8', '1', '1']);
      await exec(PYTHON, [
        '/usr/bin/swift-ring-builder',
        builder,
        'add',
        `r1z1-127.0.0.1:${ports[name]}/sdb1`,
        '1',
      ]);
      await exec(PYTHON, ['/usr/bin/swift-ring-builder', builder, 'rebalance']);
    }
    await writeFile(join(dir, 'conf', 'proxy-server.conf'), proxyConf(dir, ports.proxy, ports.memcached));

    const launch = (name: string, command: string, args: string[]) => {
      const log = openSync(join(dir, `${name}.log`), 'a');
      const child = spawn(command, args, { stdio: ['ignore', log, log] });
      closeSync(log);
      children.push(child);
      return child;
    };
    launch('memcached', '/usr/bin/memcached', [
      // memcached refuses to run as root unless told which user to be; it stays the current user anyway.
      ...(process.getuid?.() === 0 ? ['-u', 'root'] : []),
      '-l',
      '127.0.0.1',
      '-p',
      String(ports.memcached),
      '-U',
      '0',
      '-m',
      '64',
    ]);
    const startServer = async (name: ServerName) => {
      launch(name, PYTHON, [`/usr/bin/swift-${name}-server`, join(dir, 'conf', `${name}-server.conf`)]);
      await waitHealthy(`http://127.0.0.1:${ports[name]}/healthcheck`, 60_000, join(dir, `${name}.log`));
    };
    await Promise.all(SERVERS.map(startServer));

    const endpoint = `http://127.0.0.1:${ports.proxy}`;
    return {
      endpoint,
      port: ports.proxy,
      uploadFolder: (folder, bucket, prefix) => uploadFolder(endpoint, dir, folder, bucket, prefix),
      async stop() {
        for (const child of children.reverse()) await stopProcess(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const child of children.reverse()) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Archives uploaded at once: each is extracted object by object, so several keep the servers busy. */
const UPLOAD_ARCHIVES = 8;

/** Every file under `root` as a path relative to it, with `/` separators. */
async function filesUnder(root: string, under = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(root, under), { withFileTypes: true })) {
    const path = under === '' ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await filesUnder(root, path)));
    else files.push(path);
  }
  return files;
}

/** Swift's own API behind the S3 layer: a token from tempauth, then PUT ?extract-archive=tar. */
async function uploadFolder(
  endpoint: string,
  scratch: string,
  folder: string,
  bucket: string,
  prefix: string,
): Promise<number> {
  const auth = await fetch(`${endpoint}/auth/v1.0`, {
    headers: { 'X-Auth-User': SWIFT_ADMIN.accessKeyId, 'X-Auth-Key': SWIFT_ADMIN.secretAccessKey },
  });
  const token = auth.headers.get('x-auth-token');
  const storageUrl = auth.headers.get('x-storage-url');
  if (!auth.ok || !token || !storageUrl) throw new Error(`Swift tempauth answered ${auth.status}`);
  const files = await filesUnder(folder);
  const shares = Array.from({ length: UPLOAD_ARCHIVES }, (_, i) =>
    files.filter((_, j) => j % UPLOAD_ARCHIVES === i),
  ).filter((share) => share.length > 0);
  const created = await Promise.all(
    shares.map(async (share, i) => {
      const list = join(scratch, `upload-${i}.list`);
      const archive = join(scratch, `upload-${i}.tar`);
      await writeFile(list, `${share.join('\n')}\n`);
      try {
        // --transform puts the prefix in front of every member name.
        await exec('tar', [
          '-cf',
          archive,
          '-C',
          folder,
          '--transform',
          `s,^,${prefix.replaceAll(',', '\\,')},`,
          '-T',
          list,
        ]);
        const response = await fetch(`${storageUrl}/${bucket}?extract-archive=tar`, {
          method: 'PUT',
          headers: { 'X-Auth-Token': token, Accept: 'application/json' },
          body: await readFile(archive),
          signal: AbortSignal.timeout(1_800_000),
        });
        const result = (await response.json()) as {
          'Number Files Created': number;
          'Response Status': string;
          Errors: unknown[];
        };
        if (!response.ok || !result['Response Status'].startsWith('201') || result.Errors.length > 0) {
          throw new Error(`Swift bulk upload failed: ${JSON.stringify(result).slice(0, 2000)}`);
        }
        return result['Number Files Created'];
      } finally {
        await rm(archive, { force: true });
        await rm(list, { force: true });
      }
    }),
  );
  return created.reduce((a, b) => a + b, 0);
}
