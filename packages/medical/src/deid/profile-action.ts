/**
 * Actions of PS3.15 Annex E Table E.1-1:
 * D replace with a non-zero-length dummy value consistent with the VR; Z replace with a
 * zero-length value (or a dummy); X remove; K keep (non-sequence) or clean (sequence); C clean —
 * replace with values of similar meaning known not to identify; U replace the UID with a
 * non-zero-length UID, consistently within the set of instances.
 * Combined actions leave the choice to what the IOD requires: Z/D (Z unless D is needed for a
 * Type 1 attribute), X/Z, X/D, X/Z/D, and X/Z/U* (for sequences of references: remove, empty, or
 * keep with every UID inside replaced).
 */
export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'Z/D' | 'X/Z' | 'X/D' | 'X/Z/D' | 'X/Z/U*';

/** What de-identification does to one element, once a combined action is resolved. */
export type ResolvedAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'U*';

/**
 * How combined actions are resolved without knowing each IOD's attribute types:
 * - `conformant` (default): the choice that keeps any IOD valid — D where D is offered (a Type 1
 *   attribute stays present), else Z; X/Z/U* keeps the sequence with its UIDs replaced.
 * - `minimal`: the first choice, which removes the most (X, or Z for Z/D).
 */
export type CombinedActionPolicy = 'conformant' | 'minimal';

export function resolveAction(action: ProfileAction, policy: CombinedActionPolicy, isSequence: boolean): ResolvedAction {
  if (!action.includes('/')) return action as ResolvedAction;
  const choices = action.split('/') as ResolvedAction[];
  if (policy === 'minimal') return choices[0]!;
  if (choices.includes('U*')) return 'U*';
  // A dummy sequence is one empty item: an empty sequence (Z) says the same and is valid for Type 2.
  if (isSequence && choices.includes('Z')) return 'Z';
  return choices.includes('D') ? 'D' : choices[choices.length - 1]!;
}
