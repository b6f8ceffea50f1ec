import { encodePng, imageTensor, parsePipelineConfig, Rng } from '@cvf/core';
import { commandRuns, PATTERN_SHAPES, patternPixels, requireInCi } from '@cvf/core/testing';
import { createProgram } from '@cvf/cli';
import { createEdgeServer, type EdgeServer } from '@cvf/edge-runtime';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkCliInvocation } from './testing/cli-invocation.js';
import { parseDockerfile } from './testing/dockerfile.js';
import { podsOf, renderKustomization, type Container, type K8sObject } from './testing/manifests.js';

// The deployment material must name only what exists: every cvf command line is checked against the
// CLI's command tree, every probe path and metric against a real edge runtime, every env var against
// the sources that read it; kubectl renders the kustomizations and promtool checks the monitoring.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KUSTOMIZATIONS = ['infra/k8s/base', 'infra/k8s/overlays/dev', 'infra/k8s/overlays/production'];
const DOCKERFILE = join(ROOT, 'infra/docker/Dockerfile');
const MONITORING = join(ROOT, 'infra/monitoring');
const kubectlMissing = requireInCi('kubectl (with kustomize)', commandRuns('kubectl', ['version', '--client']));
const promtoolMissing = requireInCi("promtool (Debian's prometheus)", commandRuns('promtool', ['--version']));

/** Environment variables read by a dependency rather than by the project, and the file that reads each. */
const READ_BY_DEPENDENCY: Record<string, string> = {
  ONNXRUNTIME_NODE_INSTALL: 'node_modules/onnxruntime-node/script/install-utils.js',
};

const stages = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const rendered = kubectlMissing ? new Map<string, K8sObject[]>() : new Map(KUSTOMIZATIONS.map((dir) => [dir, renderKustomization(join(ROOT, dir))]));
const base = rendered.get('infra/k8s/base') ?? [];
const containers = podsOf(base).flatMap((pod) => pod.containers.map((container) => ({ pod, container })));

function object(kind: string, name: string): K8sObject {
  const found = base.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`the base has no ${kind} ${name}`);
  return found;
}

function container(owner: string): Container {
  const found = containers.find(({ pod }) => pod.owner.metadata.name === owner);
  if (!found) throw new Error(`no workload ${owner}`);
  return found.container;
}

/** A container's `cvf …` arguments (what follows `cvf`), or null when it does not run cvf. */
function cvfArgs(c: Container): string[] | null {
  const line = [...(c.command ?? []), ...(c.args ?? [])];
  return line[0] === 'cvf' ? line.slice(1) : null;
}

/** A Docker stage's `cvf …` arguments: its ENTRYPOINT after tini, then its CMD. */
function dockerCvfArgs(stage: (typeof stages)[number]): string[] | null {
  const entry = stage.entrypoint ?? [];
  const start = entry[0] === 'tini' && entry[1] === '--' ? 2 : 0;
  return entry[start] === 'cvf' ? [...entry.slice(start + 1), ...(stage.cmd ?? [])] : null;
}

function stage(name: string): (typeof stages)[number] {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
}

/** Project sources that run (tests and builds excluded), for the env var check. */
function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', 'testing'].includes(entry.name) ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe.skipIf(kubectlMissing !== undefined)('infra/k8s', () => {
  it('every kustomization renders, with the workloads of the base', () => {
    for (const [dir, objects] of rendered) expect(objects.length, dir).toBeGreaterThan(10);
    const kinds = base.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/cvf-edge',
        'Service/cvf-edge',
        'Service/cvf-edge-metrics',
        'HorizontalPodAutoscaler/cvf-edge',
        'Job/cvf-train',
        'Job/cvf-embed',
        'CronJob/cvf-scheduler',
        'Deployment/cvf-redis',
        'Service/cvf-redis',
        'Deployment/cvf-worker',
        'PersistentVolumeClaim/cvf-store',
        'ConfigMap/' + base.find((o) => o.kind === 'ConfigMap')!.metadata.name,
      ]),
    );
    for (const overlay of ['infra/k8s/overlays/dev', 'infra/k8s/overlays/production']) {
      const objects = rendered.get(overlay)!;
      expect(new Set(objects.map((o) => o.metadata.namespace)).size, overlay).toBe(1);
      // Every image of ours is pinned by the overlay (the base names them without a tag).
      for (const pod of podsOf(objects)) for (const c of pod.containers) expect(c.image, `${overlay} ${c.name}`).toMatch(/:[\w.-]+$/);
    }
  });

  it('every cvf command line, in every overlay and the Dockerfile, is one the CLI accepts', () => {
    const lines: { where: string; args: string[] }[] = [];
    for (const [dir, objects] of rendered) {
      for (const pod of podsOf(objects)) for (const c of pod.containers) {
        const args = cvfArgs(c);
        if (args) lines.push({ where: `${dir} ${pod.owner.kind}/${pod.owner.metadata.name}`, args });
      }
    }
    // The targets: stages no other stage builds on (runtime is only their common base).
    for (const s of stages.filter((s) => !stages.some((t) => t.from === s.name))) {
      const args = dockerCvfArgs(s);
      if (args) lines.push({ where: `Dockerfile --target ${s.name}`, args });
    }
    const problems = lines.flatMap(({ where, args }) => checkCliInvocation(args).problems.map((p) => `${where}: ${p}`));
    expect(problems).toEqual([]);
    const commands = new Set(lines.map(({ args }) => checkCliInvocation(args).invocation.path.join(' ')));
    expect([...commands].sort()).toEqual(['', 'batch embed', 'scheduler', 'serve', 'studio', 'train', 'worker']);
  });

  it('the Indexed Job runs shard JOB_COMPLETION_INDEX of as many shards as it has completions; the CronJob runs once', () => {
    const job = object('Job', 'cvf-embed').spec as { completionMode: string; completions: number };
    expect(job.completionMode).toBe('Indexed');
    const { options } = checkCliInvocation(cvfArgs(container('cvf-embed'))!).invocation;
    expect(Number(options.get('--shards'))).toBe(job.completions);
    // No --shard-index: cvf batch reads the index Kubernetes sets in each pod.
    expect(options.has('--shard-index')).toBe(false);
    expect(checkCliInvocation(cvfArgs(container('cvf-scheduler'))!).invocation.options.get('--once')).toBe(true);
  });

  it('workers reach the Redis Service, and Redis keeps every key (BullMQ needs noeviction)', () => {
    const queue = new URL(String(checkCliInvocation(cvfArgs(container('cvf-worker'))!).invocation.options.get('--queue')));
    const service = object('Service', 'cvf-redis').spec as { ports: { port: number }[] };
    expect(queue.protocol).toBe('redis:');
    expect(queue.hostname).toBe('cvf-redis');
    expect(Number(queue.port)).toBe(service.ports[0]!.port);
    expect(container('cvf-redis').args).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));
  });

  it('the pipeline of the ConfigMap is a valid pipeline config', () => {
    const configMap = base.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('cvf-pipeline'))!;
    const text = (configMap as unknown as { data: Record<string, string> }).data['pipeline.yaml']!;
    expect(() => parsePipelineConfig(text, 'infra/k8s/base/pipeline.yaml')).not.toThrow();
    expect(parsePipelineConfig(text, 'pipeline.yaml').index.kind).toBe('lancedb');
  });

  it('every environment variable set is read by the project (or by the dependency it is for)', () => {
    const names = new Set<string>([...containers.flatMap(({ container: c }) => (c.env ?? []).map((e) => e.name)), ...stages.flatMap((s) => [...s.env.keys()])]);
    const sources = ['packages', 'apps'].flatMap((top) => readdirSync(join(ROOT, top)).flatMap((pkg) => ['src', 'server'].flatMap((dir) => sourceFiles(join(ROOT, top, pkg, dir)))));
    const text = sources.map((file) => readFileSync(file, 'utf8')).join('\n');
    const unread = [...names].filter((name) => {
      const reads = new RegExp(`env\\.${name}\\b|env\\[['"]${name}['"]\\]|\\.env\\(['"]${name}['"]\\)`);
      const reader = READ_BY_DEPENDENCY[name];
      return reader ? !reads.test(readFileSync(join(ROOT, reader), 'utf8')) : !reads.test(text);
    });
    expect([...names].sort()).toEqual(['CVF_CONFIG', 'CVF_STORE', 'ONNXRUNTIME_NODE_INSTALL']);
    expect(unread).toEqual([]);
  });
});

describe('infra/docker/Dockerfile', () => {
  it('builds with dependency install scripts denied (onnxruntime-node skipped) and runs as a non-root user', () => {
    const build = stage('build');
    expect(build.env.get('ONNXRUNTIME_NODE_INSTALL')).toBe('skip');
    expect(build.runs.find((r) => r.includes('npm ci'))).toContain('--onnxruntime-node-install=skip');
    // npm 11 is the npm that honours package.json's allowScripts, which denies onnxruntime-node's script.
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).allowScripts['onnxruntime-node']).toBe(false);
    expect(build.runs.some((r) => /npm install -g npm@11\./.test(r))).toBe(true);
    for (const target of ['cli', 'edge', 'studio', 'worker']) expect(stage(target).user, target).toBe('node');
  });

  it('copies every workspace manifest before npm ci, and every path it copies exists', () => {
    const build = stage('build');
    const workspaces = ['packages', 'apps'].flatMap((top) => readdirSync(join(ROOT, top)).map((pkg) => `${top}/${pkg}/package.json`)).filter((p) => existsSync(join(ROOT, p)));
    expect(build.copies).toEqual(expect.arrayContaining(workspaces));
    for (const path of build.copies) expect(existsSync(join(ROOT, path)), path).toBe(true);
    // The image links /usr/local/bin/cvf to the CLI's launcher, which must be executable.
    expect(stage('runtime').runs.join('\n')).toContain('ln -s /app/packages/cli/bin/cvf.js /usr/local/bin/cvf');
    expect(() => accessSync(join(ROOT, 'packages/cli/bin/cvf.js'), constants.X_OK)).not.toThrow();
  });
});

describe('the edge runtime as deployed', () => {
  let dir: string;
  let server: EdgeServer;
  let served: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-infra-'));
    const rng = new Rng(3);
    for (const [label, shape] of PATTERN_SHAPES.slice(0, 2).entries()) {
      mkdirSync(join(dir, 'data', shape), { recursive: true });
      for (let i = 0; i < 12; i++) writeFileSync(join(dir, 'data', shape, `${i}.png`), await encodePng(imageTensor('u8', { height: 16, width: 16, channels: 1 }, patternPixels(PATTERN_SHAPES[label]!, rng, { size: 16, noise: 20 }))));
    }
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: infra-check
data: { source: { kind: folder, root: ${join(dir, 'data')} }, splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 } }
preprocess: { resize: { height: 16, width: 16 }, color: gray, normalize: { mean: [0.5], std: [0.5] } }
features: { kind: hog, hog: { cellSize: 4, blockSize: 2, bins: 9 } }
pca: { enabled: true, components: 4 }
index: { kind: lancedb, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 3, batchSize: 8, seed: 1 }
registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`,
    );
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await createProgram(['train', join(dir, 'pipeline.yaml'), '--json']).parseAsync(['train', join(dir, 'pipeline.yaml'), '--json'], { from: 'user' });
    } finally {
      vi.restoreAllMocks();
    }
    process.exitCode = undefined;
    const bundle = (JSON.parse(stdout.trim().split('\n').at(-1)!) as { bundle: string }).bundle;
    // The deployment's drift window and monitor section, so every gauge the deployment exports is registered.
    const serve = kubectlMissing ? null : checkCliInvocation(cvfArgs(container('cvf-edge'))!).invocation;
    const configMap = base.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('cvf-pipeline'));
    const monitor = configMap ? parsePipelineConfig((configMap as unknown as { data: Record<string, string> }).data['pipeline.yaml']!, 'pipeline.yaml').monitor : undefined;
    server = await createEdgeServer({ models: [bundle], store: join(dir, '.cvf'), port: 0, driftWindow: Number(serve?.options.get('--drift-window') ?? 500), ...(monitor && { monitor }) });
    served = await (await fetch(`${server.url}/metrics`)).text();
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Names the scrape exports, with the series names of histograms and summaries. */
  function exportedNames(): Set<string> {
    const names = new Set<string>();
    for (const [, name, type] of served.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      names.add(name!);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name! + suffix);
    }
    return names;
  }

  it.skipIf(kubectlMissing !== undefined)('probes, port and scrape annotations of the Deployment and the Dockerfile are served', async () => {
    const edge = containers.find(({ pod }) => pod.owner.metadata.name === 'cvf-edge')!;
    const port = Number(checkCliInvocation(cvfArgs(edge.container)!).invocation.options.get('--port'));
    const http = edge.container.ports!.find((p) => p.name === 'http')!;
    expect(http.containerPort).toBe(port);
    expect(Number(edge.pod.annotations['prometheus.io/port'])).toBe(port);
    const paths = [edge.container.livenessProbe, edge.container.readinessProbe, edge.container.startupProbe].map((probe) => {
      expect(probe?.httpGet?.port).toBe('http');
      return probe!.httpGet!.path;
    });
    expect(paths).toEqual(['/v2/health/live', '/v2/health/ready', '/v2/health/live']);
    const image = stage('edge');
    const health = new URL(/http:\/\/[^'"]+/.exec(image.healthcheck!.join(' '))![0]);
    expect(Number(health.port)).toBe(Number(checkCliInvocation(dockerCvfArgs(image)!).invocation.options.get('--port')));
    expect(image.expose).toEqual([Number(health.port)]);
    for (const path of [...paths, health.pathname, edge.pod.annotations['prometheus.io/path']!]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
    }
    // The served model keeps its case index in LanceDB, as the deployment's pipeline does: it answers with similar cases.
    const answer = await fetch(`${server.url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: readFileSync(join(dir, 'data', PATTERN_SHAPES[0]!, '0.png')) });
    expect(answer.status).toBe(200);
    const { predictions } = (await answer.json()) as { predictions: { similar: { label: string }[] }[] };
    expect(predictions[0]!.similar.length).toBe(3);
    expect(predictions[0]!.similar[0]!.label).toBe(PATTERN_SHAPES[0]);
    for (const service of ['cvf-edge', 'cvf-edge-metrics']) expect((object('Service', service).spec as { ports: { targetPort: string }[] }).ports[0]!.targetPort).toBe('http');
  });

  it('every metric of the alert rules and the dashboard is one the edge runtime exports', () => {
    const exported = exportedNames();
    const used = (text: string) => new Set(text.match(/\bcvf_[a-z0-9_]+/g) ?? []);
    const rules = used(readFileSync(join(MONITORING, 'alerts.yml'), 'utf8'));
    const dashboard = JSON.parse(readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const panels = used(dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n'));
    for (const panel of dashboard.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
    expect(rules.size).toBeGreaterThan(3);
    expect([...rules, ...panels].filter((name) => !exported.has(name))).toEqual([]);
  });

  it.skipIf(kubectlMissing !== undefined)("the queue alert's limit is the Deployment's --max-queue", () => {
    const limit = Number(/0\.8 \* (\d+)/.exec(readFileSync(join(MONITORING, 'alerts.yml'), 'utf8'))![1]);
    expect(Number(checkCliInvocation(cvfArgs(container('cvf-edge'))!).invocation.options.get('--max-queue'))).toBe(limit);
  });
});

describe.skipIf(promtoolMissing !== undefined)('infra/monitoring', () => {
  it('promtool check config passes (with the scrape key file in place) and the alert rules pass their unit tests', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvf-prometheus-'));
    try {
      for (const file of ['prometheus.yml', 'alerts.yml']) copyFileSync(join(MONITORING, file), join(dir, file));
      mkdirSync(join(dir, 'secrets'));
      writeFileSync(join(dir, 'secrets', 'cvf-edge-api-key'), 'a-scrape-key-of-16-chars\n');
      const config = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      expect(config.status, config.stdout + config.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const rules = spawnSync('promtool', ['test', 'rules', 'rules_test.yml', 'rules_test_age.yml'], { cwd: MONITORING, encoding: 'utf8' });
    expect(rules.status, rules.stdout + rules.stderr).toBe(0);
    expect(rules.stdout + rules.stderr).toContain('SUCCESS');
  });
});
