import type { Rng } from '@cvf/core';

/** One mutation applied to an input: its name (reported with the seed) and the mutated value. */
export interface Mutant<T> {
  readonly mutation: string;
  readonly value: T;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)]!;
}

/** A little-endian length or count a parser will believe: small, huge, odd, or all ones. */
function hostileLength(rng: Rng): number {
  return pick(rng, [0, 1, 2, 3, 0xff, 0xffff, 0x7fffffff, 0xfffffffe, 0xffffffff, rng.int(0, 0xffffffff)]);
}

/** Byte-level mutations of a binary file: flips, truncation, hostile length fields, inserted bytes. */
export function mutateBytes(rng: Rng, input: Uint8Array): Mutant<Uint8Array> {
  const out = input.slice();
  const at = (): number => rng.int(0, Math.max(0, out.length - 1));
  const kind = rng.int(0, 4);
  if (kind === 0) {
    const flips = rng.int(1, 16);
    for (let i = 0; i < flips && out.length > 0; i++) out[at()]! ^= 1 << rng.int(0, 7);
    return { mutation: `flip ${flips} bit(s)`, value: out };
  }
  if (kind === 1) {
    const length = rng.int(0, out.length);
    return { mutation: `truncate to ${length} bytes`, value: out.subarray(0, length) };
  }
  if (kind === 2) {
    // A 16- or 32-bit length field, little-endian, written at a random offset.
    const offset = at();
    const width = rng.next() < 0.5 ? 2 : 4;
    const value = width === 2 ? hostileLength(rng) & 0xffff : hostileLength(rng);
    for (let b = 0; b < width && offset + b < out.length; b++) out[offset + b] = (value >>> (8 * b)) & 0xff;
    return { mutation: `u${width * 8} ${value} at ${offset}`, value: out };
  }
  if (kind === 3) {
    const offset = at();
    const inserted = new Uint8Array(rng.int(1, 64)).map(() => rng.int(0, 255));
    const value = new Uint8Array(out.length + inserted.length);
    value.set(out.subarray(0, offset));
    value.set(inserted, offset);
    value.set(out.subarray(offset), offset + inserted.length);
    return { mutation: `insert ${inserted.length} bytes at ${offset}`, value };
  }
  const start = at();
  const end = Math.min(out.length, start + rng.int(1, 256));
  out.fill(pick(rng, [0x00, 0xff]), start, end);
  return { mutation: `fill ${start}..${end}`, value: out };
}

const JUNK = ['\u0000', '\uFEFF', '{', '}', '[', ']', ':', '- ', '&a', '*a', '!!binary', '"', "'", '\t', '%', '|', '>', '#', '\uD800', 'é'];
const VALUES = ['-1', '0', '1e400', 'NaN', '.inf', 'null', '~', 'true', '[]', '{}', '"x"', '[1, 2, 3]', '{a: 1}', '../../etc/passwd', '/dev/zero', '9007199254740993'];

/** Text mutations of a YAML config: deleted lines, swapped values, random characters, huge values, wrong types. */
export function mutateYaml(rng: Rng, text: string): Mutant<string> {
  const lines = text.split('\n');
  const line = (): number => rng.int(0, lines.length - 1);
  const valued = lines.map((l, i) => [l, i] as const).filter(([l]) => /:\s*\S/.test(l) && !l.trimStart().startsWith('#'));
  const kind = rng.int(0, 5);
  if (kind === 0) {
    const count = rng.int(1, 4);
    for (let i = 0; i < count; i++) lines.splice(line(), 1);
    return { mutation: `delete ${count} line(s)`, value: lines.join('\n') };
  }
  if (kind === 1 && valued.length >= 2) {
    const [a, b] = [pick(rng, valued), pick(rng, valued)];
    const value = (l: string): string => l.slice(l.indexOf(':') + 1);
    lines[a[1]] = a[0].slice(0, a[0].indexOf(':') + 1) + value(b[0]);
    lines[b[1]] = b[0].slice(0, b[0].indexOf(':') + 1) + value(a[0]);
    return { mutation: `swap values of lines ${a[1] + 1} and ${b[1] + 1}`, value: lines.join('\n') };
  }
  if (kind === 2) {
    const chars = Array.from(text);
    const count = rng.int(1, 8);
    for (let i = 0; i < count; i++) chars.splice(rng.int(0, chars.length), 0, pick(rng, JUNK));
    return { mutation: `insert ${count} character(s)`, value: chars.join('') };
  }
  if (kind === 3 && valued.length > 0) {
    // Huge, but within the bounds a config may reasonably be refused for: the point is time and memory.
    const [l, i] = pick(rng, valued);
    const repeats = pick(rng, [1_000, 100_000, 200_000]);
    lines[i] = `${l.slice(0, l.indexOf(':') + 1)} ${'x'.repeat(repeats)}`;
    return { mutation: `value of line ${i + 1} repeated ${repeats} times`, value: lines.join('\n') };
  }
  if (kind === 4) {
    // A long list where a short one is expected (classes, splits, mean).
    const items = pick(rng, [1_000, 20_000]);
    return { mutation: `append a ${items}-item list`, value: `${text}\nextra:\n${'  - a\n'.repeat(items)}` };
  }
  if (valued.length === 0) return { mutation: 'empty', value: '' };
  const [l, i] = pick(rng, valued);
  const value = pick(rng, VALUES);
  lines[i] = `${l.slice(0, l.indexOf(':') + 1)} ${value}`;
  return { mutation: `line ${i + 1} value → ${value}`, value: lines.join('\n') };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The paths to every value inside a JSON document, e.g. ['preprocess', 'normalize', 'mean', 0]. */
function jsonPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => jsonPaths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => jsonPaths(v, [...prefix, k]))];
  return here;
}

function parentOf(root: Json, path: readonly (string | number)[]): { parent: Json[] | Record<string, Json>; key: string | number } {
  let node = root;
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, Json>)[step]!;
  return { parent: node as Json[] | Record<string, Json>, key: path.at(-1)! };
}

const HOSTILE_JSON: Json[] = [null, -1, 0, 1e308, -1e308, 0.5, 2 ** 53, '', 'x', '../x', '/etc/passwd', '..', 'a/../../b', [], {}, true, 'head.onnx', 10];

/**
 * Structural edits of a bundle manifest: swapped or deleted classes, changed numbers, hostile
 * paths, another schemaVersion, a value of the wrong type anywhere.
 */
export function mutateManifest(rng: Rng, manifest: Json): Mutant<Json> {
  const m = structuredClone(manifest) as { [key: string]: Json };
  const classes = m.classes as string[];
  const kind = rng.int(0, 6);
  if (kind === 0 && classes.length >= 2) {
    classes.reverse();
    return { mutation: 'classes reversed', value: m };
  }
  if (kind === 1) {
    const at = rng.int(0, classes.length - 1);
    classes.splice(at, 1);
    return { mutation: `class ${at} deleted`, value: m };
  }
  if (kind === 2) {
    classes.push(pick(rng, ['extra', classes[0] ?? 'bag', '']));
    return { mutation: `class added: ${JSON.stringify(classes.at(-1))}`, value: m };
  }
  if (kind === 3) {
    const stages = m.stages as { files: string[] }[];
    const stage = pick(rng, stages);
    const at = rng.int(0, stage.files.length - 1);
    const path = pick(rng, ['../x', '/etc/passwd', '../../manifest.json', 'missing.bin', '', 'manifest.json', '.']);
    stage.files[at] = path;
    return { mutation: `stage file ${at} → ${JSON.stringify(path)}`, value: m };
  }
  if (kind === 4) {
    const version = pick(rng, [0, 2, 99, -1, '1', 1.5, null]);
    m.schemaVersion = version;
    return { mutation: `schemaVersion → ${JSON.stringify(version)}`, value: m };
  }
  const numbers = jsonPaths(m).filter((p) => typeof parentValue(m, p) === 'number');
  const paths = kind === 5 && numbers.length > 0 ? numbers : jsonPaths(m);
  const path = pick(rng, paths);
  const { parent, key } = parentOf(m, path);
  const value = pick(rng, HOSTILE_JSON);
  if (rng.next() < 0.15) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    return { mutation: `${path.join('.')} deleted`, value: m };
  }
  (parent as Record<string | number, Json>)[key] = value;
  return { mutation: `${path.join('.')} → ${JSON.stringify(value)}`, value: m };
}

function parentValue(root: Json, path: readonly (string | number)[]): Json {
  const { parent, key } = parentOf(root, path);
  return (parent as Record<string | number, Json>)[key]!;
}

export type { Json };

const HOSTILE_COUNTS = ['0', '-1', '2', '3', '1000', '65536', '2147483648', '1e12'];
const HOSTILE_DECIMALS = ['0', '-1', '1e400', '-1e400', 'NaN', 'inf', '1e-400', '1e30', '-0'];

/**
 * Image Pixel and VOI/rescale elements a hostile header lies in: (group 0028, element), and for
 * string values (IS, DS) the strings to write.
 */
const PIXEL_FIELDS: readonly { name: string; element: number; strings?: readonly string[] }[] = [
  { name: 'Rows', element: 0x0010 },
  { name: 'Columns', element: 0x0011 },
  { name: 'SamplesPerPixel', element: 0x0002 },
  { name: 'BitsAllocated', element: 0x0100 },
  { name: 'BitsStored', element: 0x0101 },
  { name: 'HighBit', element: 0x0102 },
  { name: 'PixelRepresentation', element: 0x0103 },
  { name: 'NumberOfFrames', element: 0x0008, strings: HOSTILE_COUNTS },
  { name: 'WindowCenter', element: 0x1050, strings: HOSTILE_DECIMALS },
  { name: 'WindowWidth', element: 0x1051, strings: HOSTILE_DECIMALS },
  { name: 'RescaleIntercept', element: 0x1052, strings: HOSTILE_DECIMALS },
  { name: 'RescaleSlope', element: 0x1053, strings: HOSTILE_DECIMALS },
];

export interface HeaderMutant extends Mutant<Uint8Array> {
  /** Rows or Columns made larger: a compressed frame cannot decode to it. */
  readonly grew: boolean;
}

/**
 * A lie in the Image Pixel module or the rescale and window: a new value for Rows, Columns,
 * Bits*, Samples per Pixel, Number of Frames, Rescale Slope/Intercept or Window Center/Width, written over the element's value (8 bytes after its tag in explicit VR with a
 * short length and in implicit VR, little-endian). Undefined when the file has no such element.
 */
export function mutateDicomHeader(rng: Rng, input: Uint8Array): HeaderMutant | undefined {
  const field = pick(rng, PIXEL_FIELDS);
  let at = -1;
  for (let i = 0; i + 12 <= input.length; i++) {
    if (input[i] === 0x28 && input[i + 1] === 0x00 && input[i + 2] === (field.element & 0xff) && input[i + 3] === field.element >> 8) {
      at = i + 8;
      break;
    }
  }
  if (at < 0) return undefined;
  const out = input.slice();
  if (field.strings) {
    // Written within the element's length (explicit VR: a 16-bit length just before the value).
    const length = input[at - 2]! | (input[at - 1]! << 8);
    const text = pick(rng, field.strings).slice(0, length).padEnd(length, ' ');
    for (let b = 0; b < length && at + b < out.length; b++) out[at + b] = text.charCodeAt(b);
    return { mutation: `${field.name} → "${text.trim()}"`, value: out, grew: false };
  }
  const before = input[at]! | (input[at + 1]! << 8);
  const value = pick(rng, [0, 1, 2, 3, 7, 8, 12, 15, 16, 17, 31, 32, 33, 63, 64, before + 1, before * 2 + 29, 0x7fff, 0xffff]) & 0xffff;
  out[at] = value & 0xff;
  out[at + 1] = value >> 8;
  return { mutation: `${field.name} ${before} → ${value}`, value: out, grew: (field.name === 'Rows' || field.name === 'Columns') && value > before };
}
