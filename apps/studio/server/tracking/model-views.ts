import type { ModelVersion } from '@cvf/core';
import { bundleSourceAt, type TrackingStore } from '@cvf/core/node';
import type { ModelEntry, ModelVersionEntry, PromoteResponse } from '../../src/api/schemas.js';

/** The input contract of a version's bundle (its manifest's `input`); null when the bundle is gone or unreadable. */
async function inputContractOf(version: ModelVersion): Promise<Record<string, unknown> | null> {
  try {
    const bytes = await (await bundleSourceAt(version.bundle)).read('manifest.json');
    if (!bytes) return null;
    const manifest = JSON.parse(new TextDecoder().decode(bytes)) as { input?: unknown };
    return manifest.input !== null && typeof manifest.input === 'object' ? (manifest.input as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function versionEntry(version: ModelVersion, inputContract: Record<string, unknown> | null): ModelVersionEntry {
  return {
    version: version.version,
    runId: version.runId,
    createdAt: version.createdAt,
    bundleDigest: version.bundleDigest,
    metrics: { ...version.metrics },
    inputContract,
    configHash: version.configHash,
    aliases: [...version.aliases],
  };
}

/** Every model: its versions (newest first), its aliases with their history. */
export async function listModels(store: TrackingStore): Promise<ModelEntry[]> {
  const byName = new Map<string, ModelVersion[]>();
  for (const version of await store.listVersions()) byName.set(version.name, [...(byName.get(version.name) ?? []), version]);
  const models: ModelEntry[] = [];
  for (const [name, versions] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const history = await store.aliasHistory(name);
    const aliasNames = [...new Set(versions.flatMap((v) => v.aliases))].sort();
    models.push({
      name,
      versions: await Promise.all(versions.map(async (v) => versionEntry(v, await inputContractOf(v)))),
      aliases: aliasNames.map((alias) => ({
        alias,
        version: versions.find((v) => v.aliases.includes(alias))!.version,
        history: history.filter((h) => h.alias === alias).map((h) => ({ version: h.version, previous: h.previousVersion, at: h.changedAt })),
      })),
    });
  }
  return models;
}

/** Points an alias at a version; answers the version it left. */
export async function promote(store: TrackingStore, name: string, alias: string, version: number): Promise<PromoteResponse> {
  const previous = (await store.getByAlias(name, alias))?.version ?? null;
  await store.setAlias(name, version, alias);
  return { alias, version, previous };
}
