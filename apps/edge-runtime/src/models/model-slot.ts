import { openTrackingStore, parseModelReference, resolveBundle, type ModelReference, type TrackingStore } from '@cvf/core/node';
import type { Logger } from 'pino';
import { ServedModel, type ServedModelContext } from './served-model.js';

/**
 * A model as `cvf serve` was given it (a bundle path, NAME@VERSION or NAME@ALIAS) and the version
 * serving it now. A NAME@ALIAS slot follows its alias: `checkForUpdate` loads and warms the
 * version the alias names beside the current one, swaps them, and retires the old one once the
 * requests it already took are answered.
 */
export class ModelSlot {
  readonly argument: string;
  readonly #storeRoot: string;
  readonly #reference: ModelReference | null;
  readonly #context: ServedModelContext;
  readonly #log: Logger;
  #current: ServedModel;
  #checking: Promise<boolean> | null = null;
  /** A version the alias named that failed to load: polls do not retry it (a forced check does). */
  #failedVersion: number | null = null;
  /** The registry the alias is looked up in, opened at the first check and kept (a PostgreSQL pool is not opened per poll). */
  #registry: Promise<TrackingStore> | null = null;

  private constructor(argument: string, storeRoot: string, current: ServedModel, context: ServedModelContext, log: Logger) {
    this.argument = argument;
    this.#storeRoot = storeRoot;
    this.#reference = current.registryVersion === null ? null : parseModelReference(argument);
    this.#current = current;
    this.#context = context;
    this.#log = log;
    context.metrics.setModelServing(current, true);
  }

  static async open(argument: string, storeRoot: string, context: ServedModelContext, log: Logger): Promise<ModelSlot> {
    const model = await ServedModel.load(await resolveBundle(argument, storeRoot), context);
    log.info({ model: model.name, version: model.version, source: argument }, 'model loaded and warmed');
    return new ModelSlot(argument, storeRoot, model, context, log);
  }

  get name(): string {
    return this.#current.name;
  }

  /** The version taking new requests. A caller keeps the one it got for the whole request. */
  get current(): ServedModel {
    return this.#current;
  }

  /** Whether this slot follows an alias (and so may change version). */
  get followsAlias(): boolean {
    return this.#reference !== null && 'alias' in this.#reference;
  }

  /**
   * Looks the alias up in the registry and swaps in the version it names, if that is another one.
   * Resolves true when it swapped. Concurrent calls share one check. A version that failed to
   * load is tried again only when `force` (SIGHUP), not on every poll.
   */
  checkForUpdate(force = false): Promise<boolean> {
    if (!this.followsAlias) return Promise.resolve(false);
    this.#checking ??= this.#check(force).finally(() => (this.#checking = null));
    return this.#checking;
  }

  /** Retires the current version (on shutdown): its queued requests are answered first. */
  async close(): Promise<void> {
    await this.#checking?.catch(() => undefined);
    await (await this.#registry?.catch(() => null))?.close();
    await this.#current.retire();
    this.#context.metrics.setModelServing(this.#current, false);
  }

  async #check(force: boolean): Promise<boolean> {
    const reference = this.#reference as { name: string; alias: string };
    this.#registry ??= openTrackingStore(this.#storeRoot);
    let registry: TrackingStore;
    try {
      registry = await this.#registry;
    } catch (error) {
      this.#registry = null; // opened again at the next check
      throw error;
    }
    const target = (await registry.getByAlias(reference.name, reference.alias))?.version;
    if (target === undefined || target === this.#current.registryVersion || (target === this.#failedVersion && !force)) return false;
    const old = this.#current;
    this.#log.info({ model: old.name, from: old.version, to: String(target) }, 'alias moved; loading the new version');
    let next: ServedModel;
    try {
      next = await ServedModel.load(await resolveBundle(`${reference.name}@${target}`, this.#storeRoot), this.#context, old.name);
    } catch (error) {
      this.#failedVersion = target;
      throw error;
    }
    this.#failedVersion = null;
    this.#current = next;
    const { metrics } = this.#context;
    metrics.setModelServing(next, true);
    metrics.setModelServing(old, false);
    this.#log.info({ model: next.name, version: next.version, previous: old.version }, 'swapped to the new version');
    void old.retire().catch((error: unknown) => this.#log.error({ err: error, model: old.name, version: old.version }, 'retiring the old version failed'));
    return true;
  }
}
