import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUnavailable, startRedis, type RedisServer } from './redis.js';

/** Sends one inline command, then QUIT, and returns the whole reply (everything before +OK of QUIT). */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`${line}\r\nQUIT\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
    });
    socket.on('close', () => resolve(reply.replace(/\+OK\r\n$/, '')));
  });
}

describe.skipIf(redisUnavailable())('startRedis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('answers on loopback at its URL, without persistence', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await command(redis.port, 'SET cvf-key 42')).toBe('+OK\r\n');
    expect(await command(redis.port, 'GET cvf-key')).toBe('$2\r\n42\r\n');
    expect(await command(redis.port, 'CONFIG GET save')).toBe('*2\r\n$4\r\nsave\r\n$0\r\n\r\n');
    expect(await command(redis.port, 'CONFIG GET appendonly')).toBe('*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n');
  });

  it('two servers run side by side; stop ends one and removes its folder', async () => {
    const other = await startRedis();
    expect(other.port).not.toBe(redis.port);
    await other.stop();
    await other.stop();
    expect(existsSync(other.folder)).toBe(false);
    await expect(command(other.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
    expect(await command(redis.port, 'PING')).toBe('+PONG\r\n');
  });
});
