import { DEID_OPTIONS, deidentifyDicom, DateShifter, PatientPseudonyms, UidRemapper } from '@cvf/medical';
import { readOrCreateDeidKey } from '@cvf/medical/node';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { deidProfileSchema, DEID_PROFILE_URL, DEIDENTIFY_URL } from '../../src/api/deid-schema.js';
import type { StudioContext } from '../context.js';
import { StudioError } from '../errors.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';

/** One DICOM file per request; a large multi-frame study is sent file by file. */
const MAX_DICOM_BYTES = 512 << 20;

/** The studio's key of new UIDs, pseudonyms and date shifts: one file in the store, made on first use. */
const keyFile = (studio: StudioContext) => join(studio.storeDir, 'deid', 'deid.key');

/** Per store: one remapper, pseudonyms and date shifter from its key, so every upload of a study agrees. */
const keyed = new Map<string, Promise<{ remapper: UidRemapper; pseudonyms: PatientPseudonyms; dateShifter: DateShifter; secret: Uint8Array }>>();

function keyedOf(studio: StudioContext) {
  let found = keyed.get(studio.storeDir);
  if (!found) {
    found = readOrCreateDeidKey(keyFile(studio)).then(async ({ secret }) => ({ secret, remapper: await UidRemapper.create(secret), pseudonyms: await PatientPseudonyms.create(secret), dateShifter: await DateShifter.create(secret) }));
    keyed.set(studio.storeDir, found);
    found.catch(() => keyed.delete(studio.storeDir));
  }
  return found;
}

async function readDicomBody(req: IncomingMessage): Promise<Uint8Array> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/dicom\b/i.test(type)) throw new StudioError('UNSUPPORTED_MEDIA_TYPE', `the request body must be application/dicom (one DICOM Part 10 file), not "${type || 'none'}"`);
  if (Number(req.headers['content-length'] ?? 0) > MAX_DICOM_BYTES) throw new StudioError('BODY_TOO_LARGE', `the file is over ${MAX_DICOM_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > MAX_DICOM_BYTES) throw new StudioError('BODY_TOO_LARGE', `the file is over ${MAX_DICOM_BYTES} bytes`);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Where DICOM leaves the studio de-identified: one profile for the whole studio — the Basic
 * Profile and the PS3.15 options it was started with (`cvf studio --deid-option`, the same names
 * and code as `cvf dicom deid --option`) — keyed by the store's key file, so a study sent in
 * several requests keeps consistent UIDs, pseudonyms and date shifts.
 */
export const deidRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: DEID_PROFILE_URL,
    handle: ({ res, studio }) =>
      sendJson(res, deidProfileSchema, { options: studio.deidOptions.map((name) => ({ name, code: DEID_OPTIONS[name].code, meaning: DEID_OPTIONS[name].meaning })), keyFile: keyFile(studio) }),
  },
  {
    method: 'POST',
    path: DEIDENTIFY_URL,
    handle: async ({ req, res, studio }) => {
      const bytes = await readDicomBody(req);
      const { secret, remapper, pseudonyms, dateShifter } = await keyedOf(studio);
      const result = await deidentifyDicom(bytes, { secret, remapper, pseudonyms, dateShifter, profileOptions: studio.deidOptions });
      res.writeHead(200, { 'content-type': 'application/dicom', 'content-length': result.bytes.byteLength, 'cache-control': 'no-store', 'x-deid-options': studio.deidOptions.join(',') || 'none' });
      res.end(result.bytes);
    },
  },
];
