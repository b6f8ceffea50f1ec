import { SqliteTrackingStore } from '@cvf/core/node';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MonitorEvent } from '@cvf/core';
import { runCli } from '../testing/run-cli.js';

// `cvf` from the CLI's sources, one process (tsx as a loader), so signals reach it directly.
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
let dir: string;
let store: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-scheduler-'));
  store = join(dir, '.cvf');
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A pipeline whose time trigger retrains `chest`: `cvf retrain` really starts and fails at once on
 * the missing data files, which is all a scheduler test needs of the child.
 */
function config(cron: string): string {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(
    path,
    `version: 1
name: chest
data:
  source: { kind: idx, images: missing-images.idx, labels: missing-labels.idx }
compute: { device: cpu }
registry: { modelName: chest }
monitor:
  schedule:
    - { name: tick, cron: '${cron}', action: retrain }
`,
  );
  return path;
}

function cvf(...args: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; stdout: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exit = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout })));
  return { child, exit };
}

async function timeEvents(): Promise<MonitorEvent[]> {
  const reader = SqliteTrackingStore.open(store);
  try {
    return await reader.listMonitorEvents({ kind: 'time' });
  } finally {
    reader.close();
  }
}

/** Polls the store until `done` holds for its time events. */
async function waitForEvents(done: (events: MonitorEvent[]) => boolean): Promise<MonitorEvent[]> {
  for (;;) {
    const events = await timeEvents();
    if (done(events)) return events;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Each test starts cvf from its sources two or three times (the scheduler, its children): slow on a busy machine.
const SPAWNING = { timeout: 300_000 };

describe('cvf scheduler', () => {
  it('needs a config, and names the schedule entries when --trigger names none', async () => {
    vi.stubEnv('CVF_CONFIG', '');
    const noConfig = await runCli('scheduler', '--once', '--store', store, '--json');
    vi.unstubAllEnvs();
    expect(noConfig.exitCode).toBe(2);
    expect(JSON.parse(noConfig.stdout).error).toMatchObject({ code: 'MONITOR_SCHEDULE_INVALID', message: expect.stringContaining('--config') });
    const unknown = await runCli('scheduler', '--config', config('0 2 * * *'), '--trigger', 'hourly', '--store', store, '--json');
    expect(JSON.parse(unknown.stdout).error.message).toBe(`no schedule entry "hourly" in ${join(dir, 'pipeline.yaml')}; entries: tick`);
  });

  it('fires an every-second cron trigger as a monitor event, runs cvf retrain as a child, and stops cleanly on SIGTERM', SPAWNING, async () => {
    const { child, exit } = cvf('scheduler', '--config', config('* * * * * *'), '--store', store, '--json');
    const events = await waitForEvents((all) => all.some((e) => e.outcome !== null && e.outcome.status !== 'running'));
    const finished = events.find((e) => e.outcome !== null && e.outcome.status !== 'running')!;
    expect(finished).toMatchObject({ kind: 'time', trigger: 'tick', model: 'chest', version: null, action: 'retrain', figures: { cron: '* * * * * *' } });
    // The child was a real `cvf retrain`: its exit and its last JSON (the error) are the outcome.
    expect(finished.outcome).toMatchObject({ status: 'failed', exitCode: 1, result: { error: { code: 'FILE_UNREADABLE' } } });
    child.kill('SIGTERM');
    const { code, stdout } = await exit;
    expect(code).toBe(0);
    const messages = stdout.trim().split('\n').map((line) => JSON.parse(line).message);
    expect(messages).toContain('scheduler started');
    expect(messages.at(-1)).toBe('stopped');
    // Actions run one at a time, and none is left running.
    expect((await timeEvents()).filter((e) => e.outcome?.status === 'running')).toEqual([]);
  });

  it('--once runs what is due now and the retrains other triggers asked for, and exits; a second --once finds nothing due', SPAWNING, async () => {
    const path = config('0 0 1 1 *'); // every 1 January at 00:00: due once, for the last one
    const writer = SqliteTrackingStore.open(store);
    const asked = await writer.recordMonitorEvent({ kind: 'performance', trigger: 'performance', model: 'chest', version: '2', action: 'retrain', figures: { estimate: 0.5 } });
    writer.close();
    const first = await cvf('scheduler', '--config', path, '--store', store, '--once', '--json').exit;
    expect(first.code).toBe(1); // the retrain failed
    const reader = SqliteTrackingStore.open(store);
    expect((await reader.listMonitorEvents({ kind: 'performance' }))[0]).toMatchObject({ id: asked.id, outcome: { status: 'failed', exitCode: 1 } });
    reader.close();
    const [event] = await timeEvents();
    expect(event).toMatchObject({ trigger: 'tick', outcome: { status: 'failed' } });
    expect(new Date(String(event!.figures.scheduledFor))).toEqual(new Date(Date.UTC(new Date().getUTCFullYear(), 0, 1)));
    // An action a killed scheduler left running, its child gone too.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const killed = SqliteTrackingStore.open(store);
    const left = await killed.recordMonitorEvent({ kind: 'drift', trigger: 'drift', model: 'chest', version: '2', action: 'retrain', figures: {} });
    await killed.setMonitorEventOutcome(left.id, { status: 'running', pid: dead });
    killed.close();
    // Nothing due, so no child: in-process.
    const second = await runCli('scheduler', '--config', path, '--store', store, '--once', '--json');
    expect(second.exitCode).toBe(0);
    const lines = second.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.message)).toEqual(['abandoned action', undefined]);
    expect(lines.at(-1)).toEqual({ fired: [] });
    expect(await timeEvents()).toHaveLength(1);
    const after = SqliteTrackingStore.open(store);
    expect((await after.listMonitorEvents({ kind: 'drift' }))[0]?.outcome).toEqual({ status: 'abandoned', pid: dead });
    after.close();
  });
});
