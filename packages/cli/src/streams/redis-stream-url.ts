import { StreamError } from '@cvf/core';

/** Where `--redis-stream` points: the server, and the stream on it. */
export interface RedisStreamAddress {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  readonly stream: string;
}

/**
 * Reads `redis://[USER:PASSWORD@]HOST[:PORT]/STREAM[?db=N]` (rediss:// for TLS). The path is the
 * stream's name, not a database number as in other Redis URLs: the database is `?db=`.
 */
export function parseRedisStreamUrl(value: string): RedisStreamAddress {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new StreamError('STREAM_URL_INVALID', `--redis-stream "${value}" is not a URL; expected redis://HOST:PORT/STREAM (or rediss:// for TLS)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new StreamError('STREAM_URL_INVALID', `--redis-stream "${value}": the scheme is ${url.protocol.slice(0, -1)}; expected redis or rediss`);
  const stream = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (stream === '') throw new StreamError('STREAM_URL_INVALID', `--redis-stream "${value}" names no stream; expected redis://HOST:PORT/STREAM`);
  const dbText = url.searchParams.get('db') ?? '0';
  const db = Number(dbText);
  if (!/^\d+$/.test(dbText) || !Number.isSafeInteger(db)) throw new StreamError('STREAM_URL_INVALID', `--redis-stream "${value}": db=${dbText} is not a database number (0, 1, ...)`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port === '' ? 6379 : Number(url.port),
    tls: url.protocol === 'rediss:',
    ...(url.username !== '' && { username: decodeURIComponent(url.username) }),
    ...(url.password !== '' && { password: decodeURIComponent(url.password) }),
    db,
    stream,
  };
}
