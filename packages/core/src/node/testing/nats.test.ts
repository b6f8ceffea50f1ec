import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { natsUnavailable, startNats } from './nats.js';

/** The INFO line a NATS server greets every client with, as JSON. */
function serverInfo(port: number): Promise<{ jetstream?: boolean; host?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      const line = /^INFO (\{.*\}) *\r\n/.exec(text);
      if (line) {
        socket.destroy();
        resolve(JSON.parse(line[1]!) as { jetstream?: boolean });
      }
    });
    socket.on('error', reject);
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`no INFO line from port ${port}, only: ${text}`));
    });
  });
}

describe.skipIf(natsUnavailable())('startNats', () => {
  it('starts a JetStream server on loopback and stop() ends it and removes its folder', async () => {
    const nats = await startNats();
    try {
      expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
      expect(existsSync(nats.folder)).toBe(true);
      const info = await serverInfo(nats.port);
      expect(info.jetstream).toBe(true);
    } finally {
      await nats.stop();
    }
    expect(existsSync(nats.folder)).toBe(false);
    await expect(serverInfo(nats.port)).rejects.toThrow(/ECONNREFUSED/);
    await nats.stop();
  });
});
