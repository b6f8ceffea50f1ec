import { AuditError } from './audit-error.js';

/** Format of the records this code writes; a reader refuses others by name. */
export const AUDIT_RECORD_VERSION = 1;

/** Where a decision was made. */
export const AUDIT_SOURCES = ['cli', 'edge', 'studio'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

/** The model that decided: enough to find its bundle again, nothing of the image. */
export interface AuditModel {
  readonly name: string;
  /** Registry version; null for a bundle that was never registered. */
  readonly version: number | null;
  readonly configHash: string;
}

/** What was decided, with the operating point it was decided at. */
export interface AuditDecision {
  /** The decision's outcome as the decision stage names it (e.g. positive, negative, refer), or `predicted` for a bundle without one. */
  readonly outcome: string;
  /** The class the decision is about (the predicted class). */
  readonly class: string;
  /** Its probability, 0..1. */
  readonly probability: number;
  /** The operating thresholds used, per class; null when the bundle has none. */
  readonly thresholds: Readonly<Record<string, number>> | null;
}

/** What a caller appends: the trail adds sequence, time, the previous record's hash and its own. */
export interface AuditEntry {
  readonly source: AuditSource;
  readonly model: AuditModel;
  readonly decision: AuditDecision;
  /** Salted hash of the SOP Instance UID (see InstanceHasher); null when the input was not DICOM. */
  readonly instance: string | null;
}

/** One line of the log. */
export interface AuditRecord extends AuditEntry {
  readonly v: typeof AUDIT_RECORD_VERSION;
  /** 1 for the first record, then +1 each. */
  readonly sequence: number;
  /** When it was appended, ISO 8601 UTC. */
  readonly time: string;
  /** SHA-256 (hex) of the previous record's canonical JSON; 64 zeros for the first. */
  readonly prev: string;
  /** SHA-256 (hex) of this record's canonical JSON without `hash`. */
  readonly hash: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function exactKeys(value: Record<string, unknown>, keys: readonly string[], where: string): string | undefined {
  const extra = Object.keys(value).filter((k) => !keys.includes(k));
  if (extra.length > 0) return `${where} has unknown field(s) ${extra.join(', ')}`;
  const missing = keys.filter((k) => !(k in value));
  return missing.length > 0 ? `${where} lacks ${missing.join(', ')}` : undefined;
}

/** Why `value` is not a valid entry, or undefined when it is. */
export function entryProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the entry is not an object';
  if (!AUDIT_SOURCES.includes(value.source as AuditSource)) return `source ${JSON.stringify(value.source)} is not one of ${AUDIT_SOURCES.join(', ')}`;
  const model = value.model;
  if (!isObject(model)) return 'model is not an object';
  const modelKeys = exactKeys(model, ['name', 'version', 'configHash'], 'model');
  if (modelKeys) return modelKeys;
  if (typeof model.name !== 'string' || model.name === '') return 'model.name is not a non-empty string';
  if (model.version !== null && !(Number.isInteger(model.version) && (model.version as number) > 0)) return `model.version ${JSON.stringify(model.version)} is not a positive integer or null`;
  if (typeof model.configHash !== 'string') return 'model.configHash is not a string';
  const decision = value.decision;
  if (!isObject(decision)) return 'decision is not an object';
  const decisionKeys = exactKeys(decision, ['outcome', 'class', 'probability', 'thresholds'], 'decision');
  if (decisionKeys) return decisionKeys;
  if (typeof decision.outcome !== 'string' || decision.outcome === '') return 'decision.outcome is not a non-empty string';
  if (typeof decision.class !== 'string') return 'decision.class is not a string';
  const p = decision.probability;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) return `decision.probability ${JSON.stringify(p)} is not a number in 0..1`;
  const t = decision.thresholds;
  if (t !== null && !(isObject(t) && Object.values(t).every((x) => typeof x === 'number' && Number.isFinite(x)))) return 'decision.thresholds is not null or an object of finite numbers';
  if (value.instance !== null && !(typeof value.instance === 'string' && HEX64.test(value.instance))) return 'instance is not null or a 64-digit hex hash';
  return undefined;
}

/** Why `value` is not a valid record, or undefined when it is. */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the line is not a JSON object';
  const keys = exactKeys(value, ['v', 'sequence', 'time', 'source', 'model', 'decision', 'instance', 'prev', 'hash'], 'the record');
  if (keys) return keys;
  if (value.v !== AUDIT_RECORD_VERSION) return `record version ${JSON.stringify(value.v)} is not ${AUDIT_RECORD_VERSION}`;
  if (!(Number.isInteger(value.sequence) && (value.sequence as number) >= 1)) return `sequence ${JSON.stringify(value.sequence)} is not a positive integer`;
  if (typeof value.time !== 'string' || !ISO_UTC.test(value.time) || Number.isNaN(Date.parse(value.time))) return `time ${JSON.stringify(value.time)} is not an ISO 8601 UTC time`;
  if (typeof value.prev !== 'string' || !HEX64.test(value.prev)) return 'prev is not a 64-digit hex hash';
  if (typeof value.hash !== 'string' || !HEX64.test(value.hash)) return 'hash is not a 64-digit hex hash';
  const { v: _v, sequence: _s, time: _t, prev: _p, hash: _h, ...entry } = value;
  return entryProblem(entry);
}

/** The entry, checked; throws AUDIT_INVALID naming the bad field. */
export function checkEntry(entry: AuditEntry): AuditEntry {
  const problem = entryProblem(entry);
  if (problem) throw new AuditError('AUDIT_INVALID', `an audit entry was refused: ${problem}`);
  return entry;
}
