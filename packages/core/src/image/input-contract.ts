import { InputContractError } from '../errors.js';
import type { DecodedInput } from './decoded-input.js';

/** The fields of a bundle's input contract that an input is checked against (see the bundle manifest's `input`). */
export interface InputContractFields {
  readonly formats: readonly ('png' | 'jpeg' | 'webp' | 'dicom')[];
  /** Empty: any. */
  readonly modalities: readonly string[];
  /** Empty: any. */
  readonly photometricInterpretations: readonly string[];
  readonly bodyParts?: readonly string[] | undefined;
  readonly bitsStored?: readonly number[] | undefined;
  readonly minSize?: { readonly height: number; readonly width: number } | undefined;
  readonly maxSize?: { readonly height: number; readonly width: number } | undefined;
}

/** What an input is, as far as the contract asks: DICOM header fields, or what a PNG/JPEG/WebP decodes to. */
export interface InputAttributes {
  readonly format: 'png' | 'jpeg' | 'webp' | 'dicom';
  readonly height: number;
  readonly width: number;
  readonly photometricInterpretation: string;
  /** DICOM only. */
  readonly modality?: string | undefined;
  readonly bodyPart?: string | undefined;
  readonly bitsStored?: number | undefined;
}

/** One field of the contract the input does not meet. */
export interface ContractMismatch {
  readonly field: 'format' | 'modality' | 'photometricInterpretation' | 'bitsStored' | 'bodyPart' | 'size';
  readonly expected: string;
  readonly found: string;
}

const list = (values: readonly (string | number)[]) => values.join(' or ');

/** Every field of `contract` that `input` does not meet, in the order a user would fix them. */
export function contractMismatches(contract: InputContractFields, input: InputAttributes): ContractMismatch[] {
  const out: ContractMismatch[] = [];
  const dicom = input.format === 'dicom';
  const none = (what: string) => (dicom ? `none (no ${what} in the DICOM header)` : `none (a ${input.format.toUpperCase()} image has no DICOM ${what})`);
  if (contract.formats.length > 0 && !contract.formats.includes(input.format)) out.push({ field: 'format', expected: list(contract.formats), found: input.format });
  if (contract.modalities.length > 0 && !(input.modality !== undefined && contract.modalities.includes(input.modality))) {
    out.push({ field: 'modality', expected: list(contract.modalities), found: input.modality || none('Modality') });
  }
  if (contract.photometricInterpretations.length > 0 && !contract.photometricInterpretations.includes(input.photometricInterpretation)) {
    out.push({ field: 'photometricInterpretation', expected: list(contract.photometricInterpretations), found: input.photometricInterpretation });
  }
  // Bits Stored is a DICOM notion; a PNG's sample depth says nothing about the scanner's range.
  if (dicom && contract.bitsStored && !(input.bitsStored !== undefined && contract.bitsStored.includes(input.bitsStored))) {
    out.push({ field: 'bitsStored', expected: list(contract.bitsStored), found: input.bitsStored === undefined ? none('Bits Stored') : String(input.bitsStored) });
  }
  if (contract.bodyParts) {
    const part = input.bodyPart?.trim().toUpperCase();
    if (!(part && contract.bodyParts.includes(part))) out.push({ field: 'bodyPart', expected: list(contract.bodyParts), found: part || none('Body Part Examined') });
  }
  const { minSize: min, maxSize: max } = contract;
  if ((min && (input.height < min.height || input.width < min.width)) || (max && (input.height > max.height || input.width > max.width))) {
    const range = `${min ? `at least ${min.height}×${min.width}` : ''}${min && max ? ' and ' : ''}${max ? `at most ${max.height}×${max.width}` : ''}`;
    out.push({ field: 'size', expected: range, found: `${input.height}×${input.width}` });
  }
  return out;
}

/** The error of the first mismatch (the others follow in its message and details). */
export function contractMismatchError(mismatches: readonly ContractMismatch[]): InputContractError {
  const [first, ...rest] = mismatches as [ContractMismatch, ...ContractMismatch[]];
  const also = rest.length > 0 ? ` (also ${rest.map((m) => `${m.field} ${m.found}, expected ${m.expected}`).join('; ')})` : '';
  return new InputContractError(
    first.field,
    first.expected,
    first.found,
    `the input does not suit this model: ${first.field} is ${first.found}, its input contract expects ${first.expected}${also}; ` +
      'to predict anyway, allow contract mismatches (cvf predict --allow-contract-mismatch, or allowContractMismatch in decodeInput)',
  );
}

// Inputs decoded with allowContractMismatch keep what they did not meet, so the prediction made
// from them can say so wherever it is made; a WeakMap, so the inputs' lifetime is unchanged.
const marks = new WeakMap<object, readonly ContractMismatch[]>();

export function markContractMismatches(input: DecodedInput, mismatches: readonly ContractMismatch[]): void {
  if (mismatches.length > 0) marks.set(input, mismatches);
}

/** The contract fields `input` was decoded in spite of (allowContractMismatch); empty when it met the contract or was not checked. */
export function inputContractMismatches(input: DecodedInput): readonly ContractMismatch[] {
  return marks.get(input) ?? [];
}
