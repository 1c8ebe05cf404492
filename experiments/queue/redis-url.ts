/**
 * The `--queue` URL: `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. Parsed and
 * checked at the command line (a bad URL is a one-line usage error), turned into ioredis connection
 * options, and shown only redacted: a password never reaches a log line, an error or a progress bar.
 */
import type { RedisOptions } from 'ioredis';
import { UsageError } from '../errors.js';

export interface RedisTarget {
  /** Options for ioredis (BullMQ's `connection`). */
  connection: RedisOptions;
  /** The URL with its password replaced by `***`, for messages. */
  shown: string;
}

const FORM = 'redis://[user:password@]host[:port][/db] or rediss://… for TLS';

/** Any `//user:password@` in a string (a URL, of any scheme, or a message quoting one) with the password masked. */
export function redact(text: string): string {
  return text.replace(/(\/\/)([^@/\s]*)@/g, (_m, scheme: string, cred: string) => {
    const colon = cred.indexOf(':');
    return `${scheme}${colon < 0 ? '***' : `${cred.slice(0, colon)}:***`}@`;
  });
}

export function parseRedisUrl(text: string, flag = '--queue'): RedisTarget {
  const shown = redact(text);
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`${flag}: not a URL: ${JSON.stringify(shown)} (expected ${FORM})`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`${flag}: the scheme must be redis:// or rediss://, got ${JSON.stringify(u.protocol.replace(/:$/, ''))} in ${shown}`);
  if (u.hostname === '') throw new UsageError(`${flag}: no host in ${shown} (expected ${FORM})`);
  if (u.search !== '' || u.hash !== '') throw new UsageError(`${flag}: query and fragment are not supported, in ${shown} (expected ${FORM})`);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) throw new UsageError(`${flag}: the path must be a database number (e.g. /0), got ${JSON.stringify('/' + path)} in ${shown}`);
  const port = u.port === '' ? 6379 : Number(u.port);
  // IPv6 literals come bracketed from URL; ioredis wants them bare.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const connection: RedisOptions = {
    host, port, db: path === '' ? 0 : Number(path),
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    // certificates are checked against the host name (Node's default CA store)
    ...(u.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
  };
  return { connection, shown };
}
