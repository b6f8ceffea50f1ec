import type { ModelEntry } from '../../api/schemas.js';

/** A registered model version the viewer can run. */
export interface ModelChoice {
  readonly name: string;
  readonly version: number;
  readonly aliases: readonly string[];
  readonly digest: string | null;
  readonly createdAt: number;
}

/** Every version of every model, newest first within a model. */
export function modelChoices(models: readonly ModelEntry[]): ModelChoice[] {
  return models.flatMap((model) =>
    [...model.versions]
      .sort((a, b) => b.version - a.version)
      .map((v) => ({ name: model.name, version: v.version, aliases: model.aliases.filter((a) => a.version === v.version).map((a) => a.alias), digest: v.bundleDigest, createdAt: v.createdAt })),
  );
}

/** The default: the newest version any model's `production` alias points at, else the newest version registered. */
export function defaultChoice(choices: readonly ModelChoice[]): ModelChoice | null {
  const newest = (list: readonly ModelChoice[]) => [...list].sort((a, b) => b.createdAt - a.createdAt || b.version - a.version)[0] ?? null;
  return newest(choices.filter((c) => c.aliases.includes('production'))) ?? newest(choices);
}

export function choiceLabel(choice: ModelChoice): string {
  return `${choice.name} v${choice.version}${choice.aliases.length > 0 ? ` (${choice.aliases.join(', ')})` : ''}`;
}
