/**
 * V8 flags of the child process that runs a command behind the stderr filter (quiet-launch.ts).
 *
 * `serve` starts with a 256 MB initial old generation. With V8's default (a few MB, grown by its
 * heuristics), a server's heap of about 40 MB was fully marked and compacted every half second
 * at concurrency 1 — 24 to 45 mark-compacts of 3 to 17 ms in 20 to 25 s of ResNet-18 requests,
 * a pause on one request in twenty-five — although the heap stayed far below its limit. With this
 * flag: 0 to 5, and the p99 latency at concurrency 1 went from 53–55 ms to 34–37 ms (built CLI,
 * 2-core dev box, quiet). The memory is not reserved: the heap only grows to it before V8 collects fully.
 * A flag the user gave the launcher (`node --initial-old-space-size=…`, NODE_OPTIONS) wins.
 */
export function childNodeFlags(command: string | undefined, execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  if (command !== 'serve') return [];
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((flag) => /^--initial[-_]old[-_]space[-_]size\b/.test(flag));
  return given ? [] : ['--initial-old-space-size=256'];
}
