/** One stage of a Dockerfile, with what it inherits from the stage it is built FROM. */
export interface DockerStage {
  readonly name: string;
  readonly from: string;
  /** Exec-form ENTRYPOINT and CMD (JSON arrays), inherited; a new ENTRYPOINT clears CMD, as Docker does. */
  readonly entrypoint: readonly string[] | null;
  readonly cmd: readonly string[] | null;
  /** The HEALTHCHECK's exec-form command. */
  readonly healthcheck: readonly string[] | null;
  readonly expose: readonly number[];
  readonly env: ReadonlyMap<string, string>;
  readonly user: string | null;
  /** RUN lines and COPY sources (without --from) of this stage only. */
  readonly runs: readonly string[];
  readonly copies: readonly string[];
}

/** Instructions of a Dockerfile with continuation lines joined and comments dropped. */
function instructions(text: string): { keyword: string; rest: string }[] {
  const out: { keyword: string; rest: string }[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = pending + line;
    pending = '';
    const match = /^(\w+)\s+(.*)$/s.exec(full);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), rest: match[2]! });
  }
  return out;
}

function execForm(rest: string, what: string): string[] {
  const parsed: unknown = JSON.parse(rest);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error(`${what} ${rest} is not the exec form (a JSON array of strings)`);
  return parsed;
}

/** The stages of a multi-stage Dockerfile, in order, each with its inherited settings. */
export function parseDockerfile(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  let current: { -readonly [K in keyof DockerStage]: DockerStage[K] } | null = null;
  for (const { keyword, rest } of instructions(text)) {
    if (keyword === 'FROM') {
      const match = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest.trim());
      if (!match) throw new Error(`FROM ${rest} is not understood`);
      const parent = stages.find((s) => s.name === match[1]);
      current = {
        name: match[2] ?? String(stages.length),
        from: match[1]!,
        entrypoint: parent?.entrypoint ?? null,
        cmd: parent?.cmd ?? null,
        healthcheck: parent?.healthcheck ?? null,
        expose: [...(parent?.expose ?? [])],
        env: new Map(parent?.env ?? []),
        user: parent?.user ?? null,
        runs: [],
        copies: [],
      };
      stages.push(current);
      continue;
    }
    if (!current) continue; // ARG before the first FROM
    switch (keyword) {
      case 'ENTRYPOINT':
        current.entrypoint = execForm(rest, 'ENTRYPOINT');
        current.cmd = null;
        break;
      case 'CMD':
        current.cmd = execForm(rest, 'CMD');
        break;
      case 'HEALTHCHECK': {
        const cmd = /\bCMD\s+(\[.*\])\s*$/s.exec(rest);
        if (!cmd) throw new Error(`HEALTHCHECK ${rest} has no exec-form CMD`);
        current.healthcheck = execForm(cmd[1]!, 'HEALTHCHECK CMD');
        break;
      }
      case 'EXPOSE':
        current.expose = [...current.expose, ...rest.split(/\s+/).map((p) => Number.parseInt(p, 10))];
        break;
      case 'ENV': {
        const env = new Map(current.env);
        for (const pair of rest.match(/\S+=(?:"[^"]*"|\S+)/g) ?? []) env.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
        current.env = env;
        break;
      }
      case 'USER':
        current.user = rest.trim();
        break;
      case 'RUN':
        current.runs = [...current.runs, rest];
        break;
      case 'COPY': {
        const words = rest.split(/\s+/);
        if (words.some((w) => w.startsWith('--from='))) break;
        const paths = words.filter((w) => !w.startsWith('--'));
        current.copies = [...current.copies, ...paths.slice(0, -1)];
        break;
      }
    }
  }
  return stages;
}
