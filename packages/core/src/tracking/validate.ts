import { aliasSchema } from '../config/sections/registry.js';
import { TrackingError } from '../errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The alias schema of `registry.alias`, so the registry and the pipeline YAML accept the same names. */
export function assertAlias(alias: string): void {
  const result = aliasSchema.safeParse(alias);
  if (!result.success) throw new TrackingError('TRACKING_INVALID', `${JSON.stringify(alias)}: ${result.error.issues[0]!.message}`);
}

export function assertName(kind: string, name: string): void {
  if (!NAME.test(name)) throw new TrackingError('TRACKING_INVALID', `${kind} name "${name}" must start with a letter or digit and hold only letters, digits, ".", "_" and "-" (at most 128)`);
}

export function assertMetrics(metrics: Readonly<Record<string, number>>, step: number): void {
  if (!Number.isInteger(step) || step < 0) throw new TrackingError('TRACKING_INVALID', `metric step must be a non-negative integer, got ${step}`);
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TrackingError('TRACKING_INVALID', `metric "${key}" must be a finite number, got ${String(value)}`);
    }
  }
}

/** Artifact paths stay inside the run's folder: relative, no `..`, no empty segments. */
export function assertArtifactPath(path: string): void {
  const segments = path.split('/');
  if (path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) {
    throw new TrackingError('TRACKING_INVALID', `artifact path "${path}" must be relative, with "/" separators and no "." or ".." segments`);
  }
}
