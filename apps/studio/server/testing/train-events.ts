import type { StudioClient } from '../../src/api/client.js';
import type { Job, RunSummary, TrainLine } from '../../src/api/schemas.js';
import type { StudioFixture } from './studio-fixture.js';

/** Follows a job over SSE until its end event, collecting every line; `onLine` may act mid-run. */
export function followJob(client: StudioClient, jobId: string, onLine: (line: TrainLine) => void = () => {}): Promise<{ lines: TrainLine[]; end: Job }> {
  const lines: TrainLine[] = [];
  return new Promise((resolve, reject) => {
    client.followJob(jobId, {
      onLine: (line) => {
        lines.push(line);
        onLine(line);
      },
      onEnd: (end) => resolve({ lines, end }),
      onError: reject,
    });
  });
}

/** Waits until the queue linked the job to its tracking run, then follows the run's events and cancels the job at its first line. */
export async function followRunAndCancel(fixture: StudioFixture, jobId: string): Promise<{ lines: TrainLine[]; end: RunSummary }> {
  let runId: string | null = null;
  while (runId === null) {
    runId = (await fixture.client.queue()).jobs.find((j) => j.id === jobId)!.runId;
    if (runId === null) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const lines: TrainLine[] = [];
  return new Promise((resolve, reject) => {
    fixture.client.followRun(runId, {
      onLine: (line) => {
        if (lines.push(line) === 1) fixture.client.cancelJob(jobId).catch(reject);
      },
      onEnd: (end) => resolve({ lines, end }),
      onError: reject,
    });
  });
}

export const isStage = (stage: string) => (line: TrainLine) => 'type' in line && line.type === 'progress' && line.stage === stage;
