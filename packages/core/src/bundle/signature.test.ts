import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_FILE } from './bundle-path.js';
import { signBundle, verifyBundleSignature } from './signature.js';
import { loadBundle, memorySource } from './source.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/v1/bundle/', import.meta.url));

function keyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function fixtureFiles(): Map<string, Uint8Array> {
  return new Map(readdirSync(FIXTURE).map((name) => [name, new Uint8Array(readFileSync(join(FIXTURE, name)))]));
}

describe('Ed25519 bundle signatures', () => {
  const signer = keyPair();

  it('a signed bundle loads with its public key and carries its signature', async () => {
    const files = fixtureFiles();
    const { file, signature } = await signBundle((await loadBundle(memorySource(files))).manifest, signer.privateKey);
    expect(signature).toMatchObject({ algorithm: 'Ed25519', digest: expect.stringMatching(/^[0-9a-f]{64}$/), keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    files.set(SIGNATURE_FILE, file);
    const bundle = await loadBundle(memorySource(files), { publicKey: signer.publicKey });
    expect(bundle.signature).toEqual(file);
  });

  it('refuses an unsigned bundle, another key, and a bundle changed after signing', async () => {
    const files = fixtureFiles();
    await expect(loadBundle(memorySource(files), { publicKey: signer.publicKey })).rejects.toMatchObject({ code: 'BUNDLE_SIGNATURE_INVALID', message: expect.stringContaining('not signed') });
    const { manifest } = await loadBundle(memorySource(files));
    const { file } = await signBundle(manifest, signer.privateKey);
    await expect(verifyBundleSignature(manifest, file, keyPair().publicKey)).rejects.toMatchObject({ code: 'BUNDLE_SIGNATURE_INVALID', message: expect.stringContaining('not by the given key') });
    const edited = { ...manifest, classes: [...manifest.classes].reverse() };
    await expect(verifyBundleSignature(edited, file, signer.publicKey)).rejects.toMatchObject({ code: 'BUNDLE_SIGNATURE_INVALID', message: expect.stringContaining('changed after signing') });
  });

  it('refuses a forged signature of the right digest and key id, and malformed files and keys', async () => {
    const { manifest } = await loadBundle(memorySource(fixtureFiles()));
    const { signature } = await signBundle(manifest, signer.privateKey);
    const forged = { ...signature, signature: btoa(String.fromCharCode(...new Uint8Array(64).fill(7))) };
    await expect(verifyBundleSignature(manifest, new TextEncoder().encode(JSON.stringify(forged)), signer.publicKey)).rejects.toMatchObject({ message: expect.stringContaining('does not verify') });
    await expect(verifyBundleSignature(manifest, new TextEncoder().encode('{"algorithm":"RSA"}'), signer.publicKey)).rejects.toMatchObject({ code: 'BUNDLE_SIGNATURE_INVALID', message: expect.stringContaining('not a signature file') });
    await expect(signBundle(manifest, signer.publicKey)).rejects.toMatchObject({ code: 'BUNDLE_SIGNATURE_INVALID', message: expect.stringContaining('PRIVATE KEY') });
  });
});
