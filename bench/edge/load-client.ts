// The HTTP load generator in a process of its own, as a real client is: the bench process holds
// trained bundles, a Predictor and ORT sessions, and in its large heap V8's young-generation
// collections took 2–4 ms, 5 to 10 times in 20 s of c=1 traffic (about 1% of requests) — each
// added to a request's measured latency, right at the p99 the goal is about. A lean process
// collects in well under a millisecond. `closedLoopInChild` runs closedLoop there; run directly,
// this file is that child (json-child.ts): the body comes as a file, the LoadResult goes to stdout.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closedLoop, type BenchRequest, type LoadOptions, type LoadResult } from './http-load.js';
import { runJsonChild } from './json-child.js';

type ChildOptions = Omit<LoadOptions, 'during' | 'versionOf'>;

interface Job {
  readonly url: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly files: { readonly body: string };
  readonly options: ChildOptions;
}

const self = fileURLToPath(import.meta.url);

export function closedLoopInChild(url: string, request: BenchRequest, options: ChildOptions): Promise<LoadResult> {
  return runJsonChild<LoadResult>(self, { url, path: request.path, headers: request.headers, options }, { body: request.body });
}

if (process.argv[1] === self) {
  const job = JSON.parse(process.argv[2]!) as Job;
  const result = await closedLoop(job.url, { path: job.path, headers: job.headers, body: readFileSync(job.files.body) }, job.options);
  process.stdout.write(JSON.stringify(result));
}
