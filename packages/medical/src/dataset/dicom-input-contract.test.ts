import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuDevice, decodeInput, disposeDecodedInput, encodePng, imageTensor, inputContractMismatches, InputContractError, type InputContractFields } from '@cvf/core';
import { sharpImageDecoder } from '@cvf/core/node';
import { describe, expect, it } from 'vitest';
import { PYDICOM_CORPUS } from '../node/reference-tools.js';
import { createSecondaryCapture, writeDicom } from '../writer/index.js';
import { dicomInputDecoder } from './dicom-input-decoder.js';

// The input contract of a CT model (as `cvf train configs/medical/train.yaml` writes it) against
// real DICOM from the pydicom corpus and a PNG, through the real decoders.

const device = new CpuDevice();
const corpus = (name: string) => new Uint8Array(readFileSync(join(PYDICOM_CORPUS, name)));
const CT_MODEL: InputContractFields = {
  formats: ['png', 'jpeg', 'webp', 'dicom'],
  modalities: ['CT'],
  photometricInterpretations: ['MONOCHROME1', 'MONOCHROME2', 'RGB'],
};
const options = (contract: InputContractFields, allowContractMismatch = false) => ({ device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, contract, allowContractMismatch });

async function refusal(bytes: Uint8Array, contract: InputContractFields): Promise<InputContractError> {
  const error = await decodeInput(bytes, undefined, options(contract)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputContractError);
  return error as InputContractError;
}

describe('the input contract on real DICOM', () => {
  it('a CT model takes CT_small.dcm', async () => {
    const image = await decodeInput(corpus('CT_small.dcm'), undefined, options(CT_MODEL));
    expect(inputContractMismatches(image)).toEqual([]);
    disposeDecodedInput(image);
  });

  it('refuses an MR image, a secondary capture (OT) and a PNG with INPUT_CONTRACT_MISMATCH naming the field, expected and found', async () => {
    const mr = await refusal(corpus('MR_small.dcm'), CT_MODEL);
    expect([mr.code, mr.field, mr.expected, mr.found]).toEqual(['INPUT_CONTRACT_MISMATCH', 'modality', 'CT', 'MR']);
    expect(mr.message).toBe(
      'the input does not suit this model: modality is MR, its input contract expects CT; to predict anyway, allow contract mismatches (cvf predict --allow-contract-mismatch, or allowContractMismatch in decodeInput)',
    );
    const ot = await refusal(writeDicom(createSecondaryCapture({ rows: 8, columns: 8, pixels: new Uint8Array(64), photometric: 'MONOCHROME2' })), CT_MODEL);
    expect([ot.field, ot.found]).toEqual(['modality', 'OT']);
    const png = await refusal(await encodePng(imageTensor('u8', { height: 8, width: 8, channels: 3 }, new Uint8Array(192))), CT_MODEL);
    expect([png.field, png.found]).toEqual(['modality', 'none (a PNG image has no DICOM Modality)']);
  });

  it('checks bits stored, body part and size from the header where the contract sets them', async () => {
    const ct = corpus('CT_small.dcm'); // 128×128, Bits Stored 16, no Body Part Examined
    const bits = await refusal(ct, { ...CT_MODEL, bitsStored: [12] });
    expect([bits.field, bits.expected, bits.found]).toEqual(['bitsStored', '12', '16']);
    const part = await refusal(ct, { ...CT_MODEL, bodyParts: ['CHEST'] });
    expect([part.field, part.expected, part.found]).toEqual(['bodyPart', 'CHEST', 'none (no Body Part Examined in the DICOM header)']);
    const size = await refusal(ct, { ...CT_MODEL, minSize: { height: 256, width: 256 } });
    expect([size.field, size.expected, size.found]).toEqual(['size', 'at least 256×256', '128×128']);
  });

  it('allowContractMismatch decodes the MR image anyway and keeps what it did not meet', async () => {
    const image = await decodeInput(corpus('MR_small.dcm'), undefined, options({ ...CT_MODEL, bitsStored: [12] }, true));
    expect(inputContractMismatches(image)).toEqual([
      { field: 'modality', expected: 'CT', found: 'MR' },
      { field: 'bitsStored', expected: '12', found: '16' },
    ]);
    disposeDecodedInput(image);
  });
});
