/** What the feedback route needs to know of an answered prediction. */
export interface RememberedPrediction {
  readonly model: string;
  readonly version: string;
  /** The predicted class name. */
  readonly predicted: string;
  /** The classes of the version that answered (a fed-back label must be one of them). */
  readonly classes: readonly string[];
}

/**
 * The last `capacity` predictions the server answered, by prediction id, so a label fed back
 * minutes or hours later finds what the model said without reading the inference log. The oldest
 * is forgotten first (a Map keeps insertion order).
 */
export class RecentPredictions {
  readonly #byId = new Map<string, RememberedPrediction>();
  readonly capacity: number;

  constructor(capacity = 100_000) {
    this.capacity = capacity;
  }

  remember(id: string, prediction: RememberedPrediction): void {
    this.#byId.set(id, prediction);
    if (this.#byId.size > this.capacity) this.#byId.delete(this.#byId.keys().next().value!);
  }

  get(id: string): RememberedPrediction | undefined {
    return this.#byId.get(id);
  }
}
