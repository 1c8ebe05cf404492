import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../../experiments/errors.js';
import { parseRedisUrl, redact } from '../../../experiments/queue/redis-url.js';

function usage(url: string): string {
  try {
    parseRedisUrl(url);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('--queue URLs', () => {
  it('reads host, port, database, user and password, and TLS from rediss://', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390/3').connection).toEqual({ host: '127.0.0.1', port: 6390, db: 3 });
    expect(parseRedisUrl('redis://queue.example').connection).toEqual({ host: 'queue.example', port: 6379, db: 0 });
    expect(parseRedisUrl('rediss://alice:p%40ss@queue.example:6380').connection)
      .toEqual({ host: 'queue.example', port: 6380, db: 0, username: 'alice', password: 'p@ss', tls: { servername: 'queue.example' } });
    expect(parseRedisUrl('redis://[::1]:7000/').connection).toEqual({ host: '::1', port: 7000, db: 0 });
  });

  it('never shows a password', () => {
    expect(parseRedisUrl('redis://:hunter2@h:1/0').shown).toBe('redis://:***@h:1/0');
    expect(parseRedisUrl('rediss://bob:hunter2@h').shown).toBe('rediss://bob:***@h');
    expect(redact('cannot reach redis://:hunter2@h:1 nor rediss://token@h')).toBe('cannot reach redis://:***@h:1 nor rediss://***@h');
    for (const bad of ['http://:hunter2@h', 'redis://:hunter2@h/x', 'redis://:hunter2@h?tls=1', 'redis//:hunter2@h']) expect(usage(bad)).not.toContain('hunter2');
  });

  it('refuses what is no Redis URL, each with a one-line reason', () => {
    expect(usage('localhost:6379')).toMatch(/scheme must be redis:\/\/ or rediss:\/\//);
    expect(usage('not a url')).toMatch(/^--queue: not a URL/);
    expect(usage('redis:///0')).toMatch(/no host/);
    expect(usage('redis://h/db1')).toMatch(/path must be a database number/);
    expect(usage('redis://h?db=1')).toMatch(/query and fragment are not supported/);
    for (const u of ['http://h', 'redis://h/x/y']) expect(usage(u)).not.toContain('\n');
  });
});
