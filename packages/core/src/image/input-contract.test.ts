import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { InputContractError } from '../errors.js';
import { sharpImageDecoder } from '../node/image-decode-sharp.js';
import { decodeInput } from './decode-input.js';
import { encodePng } from './encode-png.js';
import { imageTensor } from './image-tensor.js';
import { contractMismatches, inputContractMismatches, type InputContractFields } from './input-contract.js';

const device = new CpuDevice();
const GRAY_ANY: InputContractFields = { formats: ['png', 'jpeg', 'webp', 'dicom'], modalities: [], photometricInterpretations: ['MONOCHROME1', 'MONOCHROME2', 'RGB'] };
const png = (height: number, width: number, channels: 1 | 3) => encodePng(imageTensor('u8', { height, width, channels }, new Uint8Array(height * width * channels)));

describe('input contract', () => {
  it('lists every field an input misses, with what was expected and what was found', () => {
    const contract: InputContractFields = { ...GRAY_ANY, modalities: ['CT'], photometricInterpretations: ['MONOCHROME2'], bitsStored: [12, 16], bodyParts: ['CHEST'], maxSize: { height: 512, width: 512 } };
    const input = { format: 'dicom', height: 1024, width: 512, photometricInterpretation: 'PALETTE COLOR', modality: 'MR', bodyPart: 'head', bitsStored: 8 } as const;
    expect(contractMismatches(contract, input)).toEqual([
      { field: 'modality', expected: 'CT', found: 'MR' },
      { field: 'photometricInterpretation', expected: 'MONOCHROME2', found: 'PALETTE COLOR' },
      { field: 'bitsStored', expected: '12 or 16', found: '8' },
      { field: 'bodyPart', expected: 'CHEST', found: 'HEAD' },
      { field: 'size', expected: 'at most 512×512', found: '1024×512' },
    ]);
    expect(contractMismatches(contract, { ...input, photometricInterpretation: 'MONOCHROME2', modality: 'CT', bodyPart: 'CHEST ', bitsStored: 12, height: 512 })).toEqual([]);
  });

  it('a contract written before bits, body part and size existed checks format, modality and photometric interpretation only', () => {
    expect(contractMismatches({ ...GRAY_ANY, formats: ['dicom'] }, { format: 'png', height: 1, width: 99999, photometricInterpretation: 'RGB' })).toEqual([{ field: 'format', expected: 'dicom', found: 'png' }]);
  });

  it('decodeInput refuses a PNG outside the size range, naming the field, and decodes it with allowContractMismatch, marked', async () => {
    const bytes = await png(8, 40, 1);
    const contract = { ...GRAY_ANY, minSize: { height: 16, width: 16 } };
    const error = await decodeInput(bytes, undefined, { device, decoder: sharpImageDecoder, contract }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputContractError);
    expect(error).toMatchObject({ code: 'INPUT_CONTRACT_MISMATCH', field: 'size', expected: 'at least 16×16', found: '8×40', details: { field: 'size', expected: 'at least 16×16', found: '8×40' } });
    const image = await decodeInput(bytes, undefined, { device, decoder: sharpImageDecoder, contract, allowContractMismatch: true });
    expect(inputContractMismatches(image)).toEqual([{ field: 'size', expected: 'at least 16×16', found: '8×40' }]);
  });

  it('a colour PNG is RGB to the contract; an input that meets the contract carries no marks', async () => {
    const rgb = await png(16, 16, 3);
    const error = await decodeInput(rgb, undefined, { device, decoder: sharpImageDecoder, contract: { ...GRAY_ANY, photometricInterpretations: ['MONOCHROME2'] } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ field: 'photometricInterpretation', expected: 'MONOCHROME2', found: 'RGB' });
    expect(inputContractMismatches(await decodeInput(rgb, undefined, { device, decoder: sharpImageDecoder, contract: GRAY_ANY }))).toEqual([]);
  });
});
