import { checkPerformanceTrigger, MonitorError, monitorSchema, parseManifest, sensitivityByClass, wilsonInterval, type FeedbackLabel, type MonitorConfig, type PerformanceCheck } from '@cvf/core';
import { bundleSourceAt, loadPipelineConfigFile, type TrackingStore } from '@cvf/core/node';
import { readInferenceLog } from '@cvf/edge-runtime';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, printJson, runAction } from '../output.js';
import { openStore } from '../store-location.js';
import { parseFeedbackCsv } from './monitor-feedback-csv.js';

interface FeedbackOptions {
  inferenceLogDir?: string;
  config?: string;
  classes?: string;
  store?: string;
  json?: boolean;
}

/** `cvf monitor feedback FILE.csv`: labels for served predictions, fed back offline. */
export function registerMonitorFeedback(monitor: Command): void {
  monitor
    .command('feedback')
    .description('store true labels of served predictions from a CSV (columns predictionId,label; the ids the edge runtime answered with), measure the model on its recent labels and run the performance trigger (monitor.performance of --config)')
    .argument('<file>', 'CSV file with a header naming predictionId and label')
    .option('--inference-log-dir <dir>', 'the inference log that recorded the predictions (default: <store>/inference-log)')
    .option('--config <file>', 'pipeline YAML whose monitor section sets the performance trigger (default: the section defaults, trigger off)')
    .option('--classes <names>', "the model's class names, comma-separated, for versions not in the registry (default: read from the registered version's bundle)")
    .option('--store <dir|url>', 'tracking store: a folder or a postgres:// URL (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .option('--json', 'print JSON')
    .action((file: string, options: FeedbackOptions) => runAction(Boolean(options.json), () => feedback(file, options), EXIT.badInput));
}

async function feedback(file: string, options: FeedbackOptions): Promise<number> {
  const rows = parseFeedbackCsv(await readFile(file, 'utf8'), file);
  const monitor: MonitorConfig = options.config === undefined ? monitorSchema.parse({}) : (await loadPipelineConfigFile(options.config)).monitor;
  const store = await openStore({ flag: options.store, use: 'read' });
  try {
    const logDir = options.inferenceLogDir ?? join(store.root, 'inference-log');
    const wanted = new Set(rows.map((r) => r.predictionId));
    const predictions = new Map((await readInferenceLog(logDir)).filter((r) => r.predictionId !== undefined && wanted.has(r.predictionId)).map((r) => [r.predictionId!, r]));
    const classesOf = classLookup(store, options.classes);
    const labels: FeedbackLabel[] = [];
    const problems: string[] = [];
    for (const row of rows) {
      const said = predictions.get(row.predictionId);
      if (said === undefined) {
        problems.push(`${file}:${row.line}: no prediction "${row.predictionId}" in the inference log ${logDir}`);
        continue;
      }
      const classes = await classesOf(said.model, said.version);
      if (!classes.includes(row.label)) {
        problems.push(`${file}:${row.line}: label "${row.label}" is not a class of ${said.model} version ${said.version}; classes: ${classes.join(', ')}`);
        continue;
      }
      labels.push({ predictionId: row.predictionId, model: said.model, version: said.version, predicted: classes[said.predictedClass]!, label: row.label, time: Date.now() });
    }
    // All or nothing: a file with a bad row stores none of its labels.
    if (problems.length > 0) throw new MonitorError('MONITOR_PREDICTION_UNKNOWN', `${problems.length} of ${rows.length} labels refused, none stored:\n${problems.slice(0, 20).join('\n')}`);
    const { stored, replaced } = await store.recordFeedback(labels);
    const checks = await checkEachModel(store, labels, monitor);
    if (options.json) printJson({ stored, replaced, models: Object.fromEntries(checks) });
    else printSummary(stored, replaced, checks);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** The class names of a model version: --classes, else the registered version's bundle manifest (read once per version). */
function classLookup(store: TrackingStore, given: string | undefined): (model: string, version: string) => Promise<readonly string[]> {
  const fixed = given?.split(',').map((c) => c.trim()).filter(Boolean);
  const cache = new Map<string, Promise<readonly string[]>>();
  return (model, version) => {
    if (fixed !== undefined) return Promise.resolve(fixed);
    const key = `${model}@${version}`;
    if (!cache.has(key)) cache.set(key, registeredClasses(store, model, version));
    return cache.get(key)!;
  };
}

async function registeredClasses(store: TrackingStore, model: string, version: string): Promise<readonly string[]> {
  if (!/^\d+$/.test(version)) {
    throw new MonitorError('MONITOR_PREDICTION_UNKNOWN', `${model} version "${version}" was served from a bundle path, not the registry; give its classes with --classes a,b,c`);
  }
  const registered = await store.getVersion(model, Number(version));
  const manifest = await (await bundleSourceAt(registered.bundle)).read('manifest.json');
  if (manifest === null) throw new MonitorError('MONITOR_PREDICTION_UNKNOWN', `the bundle of ${model} version ${version} at ${registered.bundle} has no manifest.json; give the classes with --classes a,b,c`);
  return parseManifest(manifest).classes;
}

/** The trigger's check, and accuracy and per-class sensitivity (95% Wilson intervals) on the same window. */
type ModelPerformance = PerformanceCheck & { version: string; accuracy: ReturnType<typeof wilsonInterval>; sensitivity: Record<string, ReturnType<typeof wilsonInterval>> };

/** Runs the performance trigger once per model, at the newest version that has labels in the file, and measures that version. */
async function checkEachModel(store: TrackingStore, labels: readonly FeedbackLabel[], monitor: MonitorConfig): Promise<Map<string, ModelPerformance>> {
  const versions = new Map<string, string>();
  for (const l of labels) versions.set(l.model, l.version);
  const checks = new Map<string, ModelPerformance>();
  for (const [name, version] of versions) {
    const check = await checkPerformanceTrigger(store, { name, version }, monitor);
    const window = await store.recentFeedback(name, monitor.performance.window, version);
    const accuracy = wilsonInterval(window.filter((l) => l.predicted === l.label).length, window.length);
    checks.set(name, { ...check, version, accuracy, sensitivity: Object.fromEntries(sensitivityByClass(window, window.length)) });
  }
  return checks;
}

function printSummary(stored: number, replaced: number, checks: ReadonlyMap<string, ModelPerformance>): void {
  const interval = (i: { estimate: number; low: number; high: number; trials: number }) =>
    i.trials === 0 ? 'no labels' : `${i.estimate.toFixed(3)} (95% CI ${i.low.toFixed(3)}–${i.high.toFixed(3)}) on ${i.trials} labels`;
  const lines = [`stored ${stored} label(s)${replaced > 0 ? `, replaced ${replaced}` : ''}`];
  for (const [model, { figures: f, event, version, accuracy, sensitivity }] of checks) {
    lines.push(`${model} version ${version}: accuracy ${interval(accuracy)}`);
    for (const [cls, s] of Object.entries(sensitivity)) lines.push(`  sensitivity of ${cls}: ${interval(s)}`);
    const metric = f.class === undefined ? f.metric : `${f.metric} of ${f.class}`;
    lines.push(`  trigger on ${metric}: ${event ? `below ${f.threshold} beyond chance: performance event ${event.id} (action ${event.action})` : f.degraded ? 'degraded (already reported in this window)' : 'not fired'}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

