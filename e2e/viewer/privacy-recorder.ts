import type { Page, Request } from 'playwright-core';
import { DicomFile, parseDicom, Tag } from '@cvf/medical';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly body: Buffer | null;
}

/** Every request of the page's browser context from now on: the page, its workers and service worker. */
export function recordRequests(page: Page): RecordedRequest[] {
  const recorded: RecordedRequest[] = [];
  page.context().on('request', (request: Request) => recorded.push({ method: request.method(), url: request.url(), body: request.postDataBuffer() }));
  return recorded;
}

/**
 * The values a request must never carry: every text attribute of the files (names, IDs, dates,
 * UIDs, descriptions — except the pixel module's enumerations), and 16-byte runs of each file's
 * pixel data.
 */
export function secretsOf(files: readonly Uint8Array[]): { texts: string[]; pixelRuns: Buffer[] } {
  const texts = new Set<string>();
  const pixelRuns: Buffer[] = [];
  const harmless = new Set([Tag.PhotometricInterpretation, Tag.TransferSyntaxUID, Tag.SOPClassUID, Tag.MediaStorageSOPClassUID, Tag.ImageType, Tag.SpecificCharacterSet, Tag.Modality, '00020013', '00020012']);
  for (const bytes of files) {
    const file: DicomFile = parseDicom(bytes);
    for (const tag of file.tags()) {
      if (harmless.has(tag.toUpperCase()) || tag.toUpperCase() === Tag.PixelData) continue;
      for (const value of file.strings(tag)) if (value.length >= 6) texts.add(value);
    }
    const pixels = file.bytes(Tag.PixelData);
    if (!pixels) continue;
    for (let at = 0; at + 16 <= pixels.length; at += 16) {
      const run = pixels.subarray(at, at + 16);
      // Flat runs (black background) would match any binary body: only textured ones say "pixels".
      if (new Set(run).size >= 8) pixelRuns.push(Buffer.from(run));
    }
  }
  return { texts: [...texts], pixelRuns };
}

/** Requests that leak: a URL or body holding an attribute value, a body holding pixel bytes, or any request off the studio's origin. */
export function leaks(recorded: readonly RecordedRequest[], origin: string, secrets: ReturnType<typeof secretsOf>): string[] {
  const found: string[] = [];
  for (const r of recorded) {
    const url = decodeURIComponent(r.url);
    if (!r.url.startsWith(origin) && !r.url.startsWith('data:') && !r.url.startsWith('blob:')) found.push(`${r.method} ${r.url}: leaves the studio's origin`);
    for (const text of secrets.texts) {
      if (url.includes(text)) found.push(`${r.method} ${r.url}: URL carries "${text}"`);
      if (r.body?.includes(text)) found.push(`${r.method} ${r.url}: body carries "${text}"`);
    }
    if (r.body) for (const run of secrets.pixelRuns) if (r.body.includes(run)) found.push(`${r.method} ${r.url}: body carries pixel data`);
  }
  return found;
}
