/**
 * Path arithmetic that works the same in the browser and in Node: '/'-separated, like URLs and
 * POSIX paths. Config and manifest paths are written this way (Windows drive paths are taken as absolute).
 */

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || /^[a-z][a-z0-9+.-]*:\/\//i.test(path);
}

/** Joins and normalizes: removes '.' segments, resolves '..', collapses repeated slashes. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (segment !== '..' || !absolute) out.push(segment);
  }
  return (absolute ? '/' : '') + out.join('/') || (absolute ? '/' : '.');
}

/** `path` against `base` (a folder): absolute paths are kept, relative ones are joined to the base. */
export function resolvePath(base: string, path: string): string {
  return isAbsolutePath(path) ? path : joinPath(base, path);
}

/** The folder part of a path ('.' when there is none). */
export function dirnamePath(path: string): string {
  const cut = path.replace(/\/+$/, '').lastIndexOf('/');
  if (cut < 0) return '.';
  return cut === 0 ? '/' : path.slice(0, cut);
}

/** The lower-case extension with its dot ('' when there is none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** Configured extensions ("png", ".JPG") as `extensionOf` returns them: with the dot, lower case. */
export function extensionSet(extensions: readonly string[]): Set<string> {
  return new Set(extensions.map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase()));
}
