import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as rendered: kind, name and the rest untyped (the test reads what it checks). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: { name: string; value?: string; valueFrom?: unknown }[];
  readonly ports?: { name?: string; containerPort: number }[];
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
}

export interface Probe {
  readonly httpGet?: { path: string; port: number | string };
  readonly exec?: { command: string[] };
  readonly tcpSocket?: { port: number | string };
}

/** A workload's pod: where it is, its annotations and its containers. */
export interface PodOf {
  readonly owner: K8sObject;
  readonly annotations: Record<string, string>;
  readonly containers: Container[];
}

/** `kubectl kustomize DIR`, parsed. */
export function renderKustomization(dir: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`kubectl kustomize ${dir} printed invalid YAML: ${doc.errors[0]!.message}`);
    return doc.toJS() as K8sObject;
  });
}

/** The pod template of every Deployment, Job and CronJob. */
export function podsOf(objects: readonly K8sObject[]): PodOf[] {
  const pods: PodOf[] = [];
  for (const owner of objects) {
    const spec = owner.spec as { template?: PodTemplate; jobTemplate?: { spec: { template: PodTemplate } } } | undefined;
    const template = owner.kind === 'CronJob' ? spec?.jobTemplate?.spec.template : spec?.template;
    if (!template) continue;
    pods.push({ owner, annotations: template.metadata?.annotations ?? {}, containers: template.spec.containers });
  }
  return pods;
}

interface PodTemplate {
  metadata?: { annotations?: Record<string, string> };
  spec: { containers: Container[] };
}
