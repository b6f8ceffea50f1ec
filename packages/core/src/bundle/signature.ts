import * as z from 'zod';
import { BundleError } from '../errors.js';
import { SIGNATURE_FILE } from './bundle-path.js';
import { bundleDigest } from './digest.js';
import type { BundleManifest } from './manifest.js';
import { sha256Hex } from './sha256.js';

/**
 * Ed25519 signatures of bundles, for bundles shipped to edge boxes: `manifest.sig` beside the
 * manifest holds the signature of the bundle digest (which covers the manifest and, through its
 * checksums, every file). Keys are PEM files as `openssl genpkey -algorithm ed25519` writes them
 * (PKCS #8 private, SPKI public). WebCrypto does the work, the same in Node and browsers.
 */
const signatureFileSchema = z.strictObject({
  algorithm: z.literal('Ed25519'),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  /** The first 16 hex digits of the SHA-256 of the public key (SPKI DER): which key signed. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string().describe('base64 of the 64-byte signature'),
});
export type BundleSignature = z.output<typeof signatureFileSchema>;

/** The largest signature file a loader reads. */
export const MAX_SIGNATURE_BYTES = 4096;

const ED25519 = { name: 'Ed25519' } as const;

/** `manifest.sig` for a bundle, signed with a private key (PEM, PKCS #8): the file's bytes and what it says. */
export async function signBundle(manifest: BundleManifest, privateKeyPem: string): Promise<{ file: Uint8Array; signature: BundleSignature }> {
  const subtle = globalThis.crypto.subtle;
  const privateKey = await importKey(privateKeyPem, 'pkcs8', 'sign');
  // The public half, for the key id: the private key's JWK carries it as `x`.
  const jwk = await subtle.exportKey('jwk', privateKey);
  const publicKey = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x! }, ED25519, true, ['verify']);
  const digest = await bundleDigest(manifest);
  const signature = new Uint8Array(await subtle.sign(ED25519, privateKey, new TextEncoder().encode(digest)));
  const file: BundleSignature = { algorithm: 'Ed25519', digest, keyId: await keyId(publicKey), signature: toBase64(signature) };
  return { file: new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`), signature: file };
}

/**
 * Checks a bundle's `manifest.sig` against a public key (PEM, SPKI): BUNDLE_SIGNATURE_INVALID when
 * it is missing, malformed, of another digest (the bundle changed after signing) or of another key.
 */
export async function verifyBundleSignature(manifest: BundleManifest, signatureBytes: Uint8Array | null, publicKeyPem: string): Promise<BundleSignature> {
  const invalid = (why: string) => new BundleError('BUNDLE_SIGNATURE_INVALID', `bundle "${manifest.name}": ${why}`);
  if (!signatureBytes) throw invalid(`it is not signed (no ${SIGNATURE_FILE}), and a public key was given`);
  let parsed: BundleSignature;
  try {
    parsed = signatureFileSchema.parse(JSON.parse(new TextDecoder().decode(signatureBytes)));
  } catch (cause) {
    throw new BundleError('BUNDLE_SIGNATURE_INVALID', `bundle "${manifest.name}": ${SIGNATURE_FILE} is not a signature file: ${(cause as Error).message}`, { cause });
  }
  const publicKey = await importKey(publicKeyPem, 'spki', 'verify');
  const expectedKey = await keyId(publicKey);
  if (parsed.keyId !== expectedKey) throw invalid(`it was signed by key ${parsed.keyId}, not by the given key ${expectedKey}`);
  const digest = await bundleDigest(manifest);
  if (parsed.digest !== digest) throw invalid(`the signature is of digest ${parsed.digest.slice(0, 12)}…, but the bundle's is ${digest.slice(0, 12)}…: it changed after signing`);
  const signature = fromBase64(parsed.signature);
  if (!signature || signature.length !== 64 || !(await globalThis.crypto.subtle.verify(ED25519, publicKey, signature, new TextEncoder().encode(digest)))) {
    throw invalid('the signature does not verify with the given key');
  }
  return parsed;
}

async function importKey(pem: string, format: 'pkcs8' | 'spki', use: 'sign' | 'verify'): Promise<CryptoKey> {
  const label = format === 'pkcs8' ? 'PRIVATE KEY' : 'PUBLIC KEY';
  try {
    return await globalThis.crypto.subtle.importKey(format, pemBody(pem, label), ED25519, true, [use]);
  } catch (cause) {
    throw new BundleError('BUNDLE_SIGNATURE_INVALID', `the ${label.toLowerCase()} is not an Ed25519 key in PEM (${format === 'pkcs8' ? 'PKCS #8' : 'SPKI'}), as \`openssl genpkey -algorithm ed25519\` writes: ${(cause as Error).message}`, { cause });
  }
}

function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  const body = match ? fromBase64(match[1]!.replace(/\s+/g, '')) : null;
  if (!body) throw new BundleError('BUNDLE_SIGNATURE_INVALID', `expected a PEM "${label}" block`);
  return body;
}

async function keyId(publicKey: CryptoKey): Promise<string> {
  const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', publicKey));
  return (await sha256Hex(spki)).slice(0, 16);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
