import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../api/schemas.js';
import { choiceLabel, defaultChoice, modelChoices } from './model-choices.js';

const version = (v: number, createdAt: number) => ({ version: v, runId: null, createdAt, bundleDigest: `d${v}`, metrics: {}, inputContract: null, configHash: null, aliases: [] });
const models: ModelEntry[] = [
  { name: 'chest', versions: [version(1, 10), version(2, 50)], aliases: [{ alias: 'production', version: 1, history: [] }] },
  { name: 'knee', versions: [version(1, 30)], aliases: [{ alias: 'production', version: 1, history: [] }, { alias: 'staging', version: 1, history: [] }] },
];

describe('model choices', () => {
  it('lists every version, newest first within a model, with the aliases pointing at it', () => {
    const choices = modelChoices(models);
    expect(choices.map((c) => `${c.name}@${c.version}`)).toEqual(['chest@2', 'chest@1', 'knee@1']);
    expect(choices[1]!.aliases).toEqual(['production']);
    expect(choiceLabel(choices[2]!)).toBe('knee v1 (production, staging)');
  });

  it('defaults to the newest production version, not the newest version', () => {
    expect(defaultChoice(modelChoices(models))).toMatchObject({ name: 'knee', version: 1 });
  });

  it('without a production alias, defaults to the newest version; without models, to nothing', () => {
    const unaliased = models.map((m) => ({ ...m, aliases: [] }));
    expect(defaultChoice(modelChoices(unaliased))).toMatchObject({ name: 'chest', version: 2 });
    expect(defaultChoice([])).toBeNull();
  });
});
