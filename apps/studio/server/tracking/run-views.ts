import type { RunDetails } from '@cvf/core';
import type { RunOverview, TrackingStore } from '@cvf/core/node';
import { evaluationSchema, type Evaluation, type ModelRef, type RunDetail, type RunListQuery, type RunSummary } from '../../src/api/schemas.js';
import { configTextOfParams } from './config-text.js';

/** Which model version each run registered (runId → name@version). */
export async function modelsByRun(store: TrackingStore): Promise<Map<string, ModelRef>> {
  const byRun = new Map<string, ModelRef>();
  for (const version of (await store.listVersions()).toReversed()) if (version.runId) byRun.set(version.runId, { name: version.name, version: version.version });
  return byRun;
}

export function runSummaryOf(run: RunOverview, model: ModelRef | null): RunSummary {
  return {
    id: run.id,
    name: run.name,
    experiment: run.experiment,
    status: run.status,
    startedAt: run.startTime,
    endedAt: run.endTime,
    durationMs: run.endTime === null ? null : run.endTime - run.startTime,
    model,
    metrics: { ...run.latestMetrics },
    tags: { ...run.tags },
    parentId: run.parentRunId,
    configHash: run.configHash,
    failureReason: run.failureReason,
  };
}

/** Runs newest first, filtered by experiment, status and a text (id, name, experiment, tag values). */
export async function listRunSummaries(store: TrackingStore, query: RunListQuery): Promise<RunSummary[]> {
  const runs = await store.listRunOverviews({ ...(query.experiment ? { experiment: query.experiment } : {}), ...(query.status ? { status: query.status } : {}) });
  const models = await modelsByRun(store);
  const needle = query.q?.trim().toLowerCase() ?? '';
  const matches = (run: RunOverview): boolean => [run.id, run.name ?? '', run.experiment, ...Object.values(run.tags)].join('\n').toLowerCase().includes(needle);
  return runs.filter((run) => !needle || matches(run)).map((run) => runSummaryOf(run, models.get(run.id) ?? null));
}

export async function runSummary(store: TrackingStore, runId: string): Promise<RunSummary> {
  const models = await modelsByRun(store);
  return runSummaryOf(await store.getRun(runId), models.get(runId) ?? null);
}

/** evaluation.json of a run, when it stored one that reads as an evaluation. */
export async function runEvaluation(store: TrackingStore, run: RunDetails): Promise<Evaluation | null> {
  if (!run.artifacts.some((a) => a.path === 'evaluation.json')) return null;
  try {
    const parsed = evaluationSchema.safeParse(JSON.parse(new TextDecoder().decode(await store.readArtifact(run.id, 'evaluation.json'))));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function runDetail(store: TrackingStore, runId: string): Promise<RunDetail> {
  const run = await store.getRun(runId);
  const models = await modelsByRun(store);
  const parent = run.parentRunId ? await store.getRun(run.parentRunId).catch(() => null) : null;
  return {
    run: runSummaryOf(run, models.get(run.id) ?? null),
    params: { ...run.params },
    history: await store.getMetricHistory(runId),
    artifacts: run.artifacts.map((a) => ({ path: a.path, size: a.size })),
    configText: configTextOfParams(run.params),
    parentConfigText: parent ? configTextOfParams(parent.params) : null,
    evaluation: await runEvaluation(store, run),
  };
}

/** The run a queued job's child started: tagged with the job id (a tune search tags its search run, not its trials). */
export async function runOfJob(store: TrackingStore, jobId: string): Promise<string | null> {
  const recent = await store.listRunOverviews({ limit: 50 });
  return recent.find((run) => run.tags.studioJob === jobId)?.id ?? null;
}
