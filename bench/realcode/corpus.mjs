// The pinned corpus of bench:realcode: thread-heavy Python libraries at exact Debian releases,
// fetched with `apt-get download` and unpacked with `dpkg-deb -x` into a local cache, so that a
// run after the first one needs no network.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The libraries measured: Debian binary package, exact version, and the library's own package
 * folders under `usr/lib/python3/dist-packages/` (pure Python sources, as shipped upstream).
 */
export const LIBRARIES = [
  { name: 'apscheduler', deb: 'python3-apscheduler', version: '3.9.1-2', packages: ['apscheduler'] },
  { name: 'billiard', deb: 'python3-billiard', version: '4.1.0-1', packages: ['billiard'] },
  { name: 'botocore', deb: 'python3-botocore', version: '1.29.27+repack-1', packages: ['botocore'] },
  { name: 'cassandra-driver', deb: 'python3-cassandra', version: '3.25.0-2+b1', packages: ['cassandra'] },
  { name: 'celery', deb: 'python3-celery', version: '5.2.6-5', packages: ['celery'] },
  { name: 'cheroot', deb: 'python3-cheroot', version: '9.0.0+ds1-2', packages: ['cheroot'] },
  { name: 'dask', deb: 'python3-dask', version: '2022.12.1+dfsg-2', packages: ['dask'] },
  { name: 'distributed', deb: 'python3-distributed', version: '2022.12.1+ds.1-3', packages: ['distributed'] },
  { name: 'eventlet', deb: 'python3-eventlet', version: '0.33.1-4', packages: ['eventlet'] },
  { name: 'futurist', deb: 'python3-futurist', version: '2.4.1-2', packages: ['futurist'] },
  { name: 'grpcio', deb: 'python3-grpcio', version: '1.51.1-3+b1', packages: ['grpc'] },
  { name: 'httpcore', deb: 'python3-httpcore', version: '0.16.3-1', packages: ['httpcore'] },
  { name: 'kafka-python', deb: 'python3-kafka', version: '2.0.2-3', packages: ['kafka'] },
  { name: 'kazoo', deb: 'python3-kazoo', version: '2.8.0-2', packages: ['kazoo'] },
  { name: 'kombu', deb: 'python3-kombu', version: '5.2.4-1', packages: ['kombu'] },
  { name: 'oslo.messaging', deb: 'python3-oslo.messaging', version: '14.0.3-0+deb12u1', packages: ['oslo_messaging'] },
  { name: 'paho-mqtt', deb: 'python3-paho-mqtt', version: '1.6.1-1', packages: ['paho'] },
  { name: 'paramiko', deb: 'python3-paramiko', version: '2.12.0-2', packages: ['paramiko'] },
  { name: 'pika', deb: 'python3-pika', version: '1.2.0-1', packages: ['pika'] },
  { name: 'pymongo', deb: 'python3-pymongo', version: '3.11.0-1+deb12u2', packages: ['pymongo'] },
  { name: 'pyro4', deb: 'python3-pyro4', version: '4.82-2', packages: ['Pyro4'] },
  { name: 'pyroute2', deb: 'python3-pyroute2', version: '0.7.2-2', packages: ['pyroute2'] },
  { name: 'pyzmq', deb: 'python3-zmq', version: '24.0.1-4+b1', packages: ['zmq'] },
  { name: 'redis', deb: 'python3-redis', version: '4.3.4-3', packages: ['redis'] },
  { name: 's3transfer', deb: 'python3-s3transfer', version: '0.6.0-1', packages: ['s3transfer'] },
  { name: 'sentry-sdk', deb: 'python3-sentry-sdk', version: '1.9.10-2+deb12u1', packages: ['sentry_sdk'] },
  { name: 'sqlalchemy', deb: 'python3-sqlalchemy', version: '1.4.46+ds1-1', packages: ['sqlalchemy'] },
  { name: 'tornado', deb: 'python3-tornado', version: '6.2.0-3+deb12u4', packages: ['tornado'] },
  { name: 'twisted', deb: 'python3-twisted', version: '22.4.0-4+deb12u1', packages: ['twisted'] },
  { name: 'urllib3', deb: 'python3-urllib3', version: '1.26.12-1+deb12u4', packages: ['urllib3'] },
  { name: 'watchdog', deb: 'python3-watchdog', version: '2.2.1-1', packages: ['watchdog'] },
];

/** The cache folder: `LOCKORDER_REALCODE_CACHE`, else `~/.cache/lockorder-realcode`. */
export function cacheDir() {
  return process.env.LOCKORDER_REALCODE_CACHE || join(homedir(), '.cache', 'lockorder-realcode');
}

/** An error whose message is meant for the user as is (one line, no stack trace). */
export class CorpusError extends Error {}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error && r.error.code === 'ENOENT') {
    throw new CorpusError(`${cmd} is not available: bench:realcode fetches its corpus from Debian's archive with apt-get and dpkg-deb (a Debian or Ubuntu machine with network is needed for the first run).`);
  }
  return r;
}

function debFile(dir, lib) {
  const encoded = lib.version.replace(/:/g, '%3a');
  return readdirSync(dir).find((f) => f.startsWith(`${lib.deb}_${encoded}_`) && f.endsWith('.deb'));
}

let updated = false;

function download(lib, dir) {
  const spec = `${lib.deb}=${lib.version}`;
  let r = run('apt-get', ['download', spec], dir);
  if (r.status !== 0 && !updated) {
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new CorpusError(`apt-get download ${spec} failed and refreshing the package lists needs root: run 'sudo apt-get update' and retry. apt-get said: ${lastLine(r.stderr)}`);
    }
    updated = true;
    process.stderr.write('apt-get download failed; running apt-get update once\n');
    const u = run('apt-get', ['update'], dir);
    if (u.status !== 0) throw new CorpusError(`apt-get update failed: ${lastLine(u.stderr)}`);
    r = run('apt-get', ['download', spec], dir);
  }
  if (r.status !== 0) throw new CorpusError(`apt-get download ${spec} failed: ${lastLine(r.stderr)}`);
  const file = debFile(dir, lib);
  if (!file) throw new CorpusError(`apt-get download ${spec} left no .deb file in ${dir}`);
  return file;
}

function lastLine(text) {
  const lines = String(text || '').trim().split('\n');
  return lines[lines.length - 1] || '(no message)';
}

/**
 * Makes sure `lib` is downloaded and unpacked in the cache; returns the folder that holds its
 * package folders (`.../usr/lib/python3/dist-packages`).
 */
export function fetchLibrary(lib) {
  const root = cacheDir();
  const debs = join(root, 'debs');
  const target = join(root, 'src', `${lib.deb}_${lib.version}`);
  const sitePackages = join(target, 'usr', 'lib', 'python3', 'dist-packages');
  if (existsSync(sitePackages)) return sitePackages;
  mkdirSync(debs, { recursive: true });
  const file = debFile(debs, lib) || download(lib, debs);
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const r = run('dpkg-deb', ['-x', join(debs, file), partial]);
  if (r.status !== 0) throw new CorpusError(`dpkg-deb -x ${file} failed: ${lastLine(r.stderr)}`);
  renameSync(partial, target);
  for (const p of lib.packages) {
    if (!existsSync(join(sitePackages, p))) throw new CorpusError(`${lib.deb} ${lib.version} has no package folder ${p}/`);
  }
  return sitePackages;
}
