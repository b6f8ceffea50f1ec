import { describe, expect, it } from 'vitest';
import { componentKind, crc32, decodeComponentState, encodeComponentState, float32Body, readFloat32 } from './component-state.js';

describe('component state', () => {
  it('round-trips a header and a float32 body, with the layout on the page', () => {
    const bytes = encodeComponentState({ kind: 'demo', version: 3, note: 'é' }, float32Body(Float32Array.of(1.5, -2), Float32Array.of(Math.PI)));
    expect(Array.from(bytes.subarray(0, 4), (b) => String.fromCharCode(b)).join('')).toBe('CVFS');
    const view = new DataView(bytes.buffer);
    const headerLength = view.getUint32(8, true);
    expect(headerLength % 4).toBe(0);
    expect(view.getUint32(12, true)).toBe(12);
    const { header, body } = decodeComponentState(bytes, 'demo', [3]);
    expect(header).toEqual({ kind: 'demo', version: 3, note: 'é' });
    expect(readFloat32(body, 0, 2, 'demo')).toEqual(Float32Array.of(1.5, -2));
    expect(readFloat32(body, 2, 1, 'demo')).toEqual(Float32Array.of(Math.PI));
    expect(componentKind(bytes)).toBe('demo');
  });

  it('uses the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('rejects reads outside the body', () => {
    const { body } = decodeComponentState(encodeComponentState({ kind: 'demo', version: 1 }, float32Body(Float32Array.of(1))), 'demo', [1]);
    expect(() => readFloat32(body, 0, 2, 'demo')).toThrow(/\[0, 2\) lie outside the 1-value body/);
  });

  it('reports a header that is not JSON or names no kind, even with a valid checksum', () => {
    const bytes = encodeComponentState({ kind: 'demo', version: 1 });
    const broken = bytes.slice();
    broken[20] = 0x7b + 1; // '{' → '|'
    const view = new DataView(broken.buffer);
    view.setUint32(16, crc32(broken.subarray(20)), true);
    expect(() => decodeComponentState(broken, 'demo', [1])).toThrow(/the header is not JSON/);
    expect(() => componentKind(encodeComponentState({ version: 1 } as never))).toThrow(/names no component kind/);
  });
});
