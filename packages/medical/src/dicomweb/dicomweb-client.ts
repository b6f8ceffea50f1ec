import { DicomwebError } from '@cvf/core';
import { api } from 'dicomweb-client';
import { dicomJsonItems, dicomJsonNumber, dicomJsonString, DicomJsonTag, type DicomJsonDataset } from './dicom-json.js';
import { FetchXhr } from './fetch-xhr.js';

export interface DicomwebClientOptions {
  /** The service root, e.g. http://localhost:8042/dicom-web */
  readonly url: string;
  /** A bearer token sent as `Authorization: Bearer …`; default: no authentication. */
  readonly token?: string;
  /** Extra headers for every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch to use (default: the global one), e.g. one with a proxy or a custom agent. */
  readonly fetch?: typeof fetch;
}

/** QIDO-RS search parameters: attribute matches (`PatientID`, `Modality`, `StudyDate` ranges, `00100010`), `includefield`, `limit`, `offset`, `fuzzymatching`. */
export type QidoQuery = Readonly<Record<string, string | number | boolean | readonly string[]>>;

export interface InstanceUIDs {
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  readonly sopInstanceUID: string;
}

/**
 * The transfer syntax asked of WADO-RS: '*' = as stored (no transcoding; compressed frames stay
 * compressed), '1.2.840.10008.1.2.1' = Explicit VR Little Endian (the server decompresses).
 */
export type RetrieveTransferSyntax = '*' | '1.2.840.10008.1.2.1';

/** One frame as WADO-RS returns it: the bytes, and what the part's Content-Type says of them. */
export interface RetrievedFrame {
  readonly bytes: Uint8Array;
  /** e.g. application/octet-stream (native pixels, little endian), image/jpeg, image/jp2, image/dicom-rle. */
  readonly contentType: string | undefined;
  readonly transferSyntaxUID: string | undefined;
}

export interface StowResult {
  readonly stored: readonly { readonly sopClassUID?: string; readonly sopInstanceUID?: string; readonly retrieveURL?: string }[];
  readonly failed: readonly { readonly sopClassUID?: string; readonly sopInstanceUID?: string; readonly reason?: number }[];
}

type Request = { instance: XMLHttpRequest };

/** dicomweb-client's multipart application/dicom GET (not in its public typings). */
type MultipartDicomGet = (url: string, mediaTypes: { mediaType: string; transferSyntaxUID?: string }[], params: object, request: Request) => Promise<Part[]>;

const UID = /^[0-9]+(\.[0-9]+)*$/;

function checkUid(what: string, uid: string): string {
  if (typeof uid !== 'string' || !UID.test(uid) || uid.length > 64) {
    throw new DicomwebError('DICOMWEB_INVALID_REQUEST', `${what} ${JSON.stringify(uid)} is not a DICOM UID (digits and dots, at most 64 characters)`);
  }
  return uid;
}

function checkInstance(uids: InstanceUIDs): InstanceUIDs {
  return {
    studyInstanceUID: checkUid('StudyInstanceUID', uids.studyInstanceUID),
    seriesInstanceUID: checkUid('SeriesInstanceUID', uids.seriesInstanceUID),
    sopInstanceUID: checkUid('SOPInstanceUID', uids.sopInstanceUID),
  };
}

function checkTransferSyntax(value: string | undefined): void {
  if (value !== undefined && value !== '*' && value !== '1.2.840.10008.1.2.1') {
    throw new DicomwebError('DICOMWEB_INVALID_REQUEST', `transfer syntax ${JSON.stringify(value)} cannot be asked for here; use '*' (as stored) or '1.2.840.10008.1.2.1' (Explicit VR Little Endian)`);
  }
}

/** A multipart part from dicomweb-client: bytes with `contentType` and `transferSyntaxUID` attached. */
type Part = (ArrayBuffer | Uint8Array) & { contentType?: string | null; transferSyntaxUID?: string | null };

function partBytes(part: Part): Uint8Array {
  return part instanceof Uint8Array ? part : new Uint8Array(part);
}

/**
 * A DICOMweb client (dicomweb-client underneath, over fetch): QIDO-RS search of studies, series and
 * instances; WADO-RS retrieval of instances (Part 10 bytes) and frames; STOW-RS storage. Works in
 * Node and in browsers. Failures are DicomwebError: DICOMWEB_HTTP_ERROR (with `details.status`),
 * DICOMWEB_UNREACHABLE, DICOMWEB_INVALID_RESPONSE, DICOMWEB_INVALID_REQUEST.
 */
export class DicomwebClient {
  readonly url: string;
  readonly #client: InstanceType<typeof api.DICOMwebClient>;
  readonly #fetch: typeof fetch;

  constructor(options: DicomwebClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new DicomwebError('DICOMWEB_INVALID_REQUEST', `DICOMweb URL ${JSON.stringify(options.url)} is not a URL; expected e.g. http://localhost:8042/dicom-web`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new DicomwebError('DICOMWEB_INVALID_REQUEST', `DICOMweb URL ${options.url} must be http: or https:, not ${parsed.protocol}`);
    }
    this.url = options.url.replace(/\/+$/, '');
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    this.#client = new api.DICOMwebClient({ url: this.url, headers, verbose: false } as ConstructorParameters<typeof api.DICOMwebClient>[0]);
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** QIDO-RS: studies matching the query. */
  searchStudies(query: QidoQuery = {}): Promise<DicomJsonDataset[]> {
    return this.#search('search for studies', (request) => this.#client.searchForStudies({ queryParams: query, request } as never) as unknown as Promise<unknown>);
  }

  /** QIDO-RS: series matching the query, in one study or across all. */
  searchSeries(query: QidoQuery = {}, scope: { studyInstanceUID?: string } = {}): Promise<DicomJsonDataset[]> {
    const options: Record<string, unknown> = { queryParams: query };
    if (scope.studyInstanceUID !== undefined) options.studyInstanceUID = checkUid('StudyInstanceUID', scope.studyInstanceUID);
    return this.#search('search for series', (request) => this.#client.searchForSeries({ ...options, request } as never) as unknown as Promise<unknown>);
  }

  /** QIDO-RS: instances matching the query, in one series, one study or across all. */
  searchInstances(query: QidoQuery = {}, scope: { studyInstanceUID?: string; seriesInstanceUID?: string } = {}): Promise<DicomJsonDataset[]> {
    const options: Record<string, unknown> = { queryParams: query };
    if (scope.seriesInstanceUID !== undefined && scope.studyInstanceUID === undefined) {
      throw new DicomwebError('DICOMWEB_INVALID_REQUEST', 'searching the instances of a series needs its studyInstanceUID too');
    }
    if (scope.studyInstanceUID !== undefined) options.studyInstanceUID = checkUid('StudyInstanceUID', scope.studyInstanceUID);
    if (scope.seriesInstanceUID !== undefined) options.seriesInstanceUID = checkUid('SeriesInstanceUID', scope.seriesInstanceUID);
    return this.#search('search for instances', (request) => this.#client.searchForInstances({ ...options, request } as never) as unknown as Promise<unknown>);
  }

  /** WADO-RS: one instance as DICOM Part 10 bytes; by default as stored ('*'). */
  async retrieveInstance(uids: InstanceUIDs, { transferSyntaxUID = '*' }: { transferSyntaxUID?: RetrieveTransferSyntax } = {}): Promise<Uint8Array> {
    checkTransferSyntax(transferSyntaxUID);
    const checked = checkInstance(uids);
    const url = `${this.#client.wadoURL}/studies/${checked.studyInstanceUID}/series/${checked.seriesInstanceUID}/instances/${checked.sopInstanceUID}`;
    // dicomweb-client 0.11's retrieveInstance rejects every `mediaTypes` list (its media-type check
    // compares "application/" with "application/dicom"), so a transfer syntax can only be asked
    // for through the request it builds for the instance itself.
    const getDicom = (this.#client as unknown as { _httpGetMultipartApplicationDicom: MultipartDicomGet })._httpGetMultipartApplicationDicom.bind(this.#client);
    const parts = await this.#call(`retrieve instance ${checked.sopInstanceUID}`, (request) => getDicom(url, [{ mediaType: 'application/dicom', transferSyntaxUID }], {}, request));
    const part = Array.isArray(parts) ? parts[0] : undefined;
    if (!part || (!(part instanceof Uint8Array) && !(part instanceof ArrayBuffer))) {
      throw new DicomwebError('DICOMWEB_INVALID_RESPONSE', `retrieve instance ${checked.sopInstanceUID}: the response holds no DICOM part`);
    }
    return partBytes(part);
  }

  /**
   * WADO-RS: frames of an instance (1-based frame numbers, as DICOMweb numbers them), one entry per
   * frame in the order asked. By default the server's default: native pixels, little endian
   * (decompressed by the server); '*' gives them as stored.
   */
  async retrieveFrames(uids: InstanceUIDs, frameNumbers: readonly number[], { transferSyntaxUID }: { transferSyntaxUID?: RetrieveTransferSyntax } = {}): Promise<RetrievedFrame[]> {
    checkTransferSyntax(transferSyntaxUID);
    const checked = checkInstance(uids);
    if (frameNumbers.length === 0 || frameNumbers.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new DicomwebError('DICOMWEB_INVALID_REQUEST', `frame numbers [${frameNumbers.join(', ')}] must be one or more integers ≥ 1 (DICOMweb numbers frames from 1)`);
    }
    const options: Record<string, unknown> = { ...checked, frameNumbers: frameNumbers.join(',') };
    if (transferSyntaxUID !== undefined) options.mediaTypes = [{ mediaType: 'application/octet-stream', transferSyntaxUID }];
    const what = `retrieve frames ${frameNumbers.join(',')} of ${checked.sopInstanceUID}`;
    const parts = await this.#call(what, (request) => this.#client.retrieveInstanceFrames({ ...options, request } as never) as unknown as Promise<Part[]>);
    if (!Array.isArray(parts) || parts.length !== frameNumbers.length) {
      throw new DicomwebError('DICOMWEB_INVALID_RESPONSE', `${what}: expected ${frameNumbers.length} part(s), got ${Array.isArray(parts) ? parts.length : typeof parts}`);
    }
    return parts.map((part) => ({ bytes: partBytes(part), contentType: part.contentType ?? undefined, transferSyntaxUID: part.transferSyntaxUID ?? undefined }));
  }

  /** STOW-RS: stores Part 10 files; the result lists what was stored and what failed (with the DICOM failure reason). */
  async storeInstances(files: readonly Uint8Array[], { studyInstanceUID }: { studyInstanceUID?: string } = {}): Promise<StowResult> {
    if (files.length === 0) throw new DicomwebError('DICOMWEB_INVALID_REQUEST', 'store: no file given');
    const options: Record<string, unknown> = { datasets: [...files] };
    if (studyInstanceUID !== undefined) options.studyInstanceUID = checkUid('StudyInstanceUID', studyInstanceUID);
    const response = await this.#call(`store ${files.length} instance(s)`, (request) => this.#client.storeInstances({ ...options, request } as never) as unknown as Promise<unknown>);
    let body: DicomJsonDataset;
    try {
      body = (typeof response === 'string' ? (response.trim() === '' ? {} : JSON.parse(response)) : (response ?? {})) as DicomJsonDataset;
    } catch {
      throw new DicomwebError('DICOMWEB_INVALID_RESPONSE', `store: the response is not DICOM JSON: ${String(response).slice(0, 200)}`);
    }
    const reference = (item: DicomJsonDataset) => ({
      ...(dicomJsonString(item, DicomJsonTag.ReferencedSOPClassUID) !== undefined && { sopClassUID: dicomJsonString(item, DicomJsonTag.ReferencedSOPClassUID)! }),
      ...(dicomJsonString(item, DicomJsonTag.ReferencedSOPInstanceUID) !== undefined && { sopInstanceUID: dicomJsonString(item, DicomJsonTag.ReferencedSOPInstanceUID)! }),
    });
    return {
      stored: dicomJsonItems(body, DicomJsonTag.ReferencedSOPSequence).map((item) => {
        const url = dicomJsonString(item, DicomJsonTag.RetrieveURL);
        return { ...reference(item), ...(url !== undefined && { retrieveURL: url }) };
      }),
      failed: dicomJsonItems(body, DicomJsonTag.FailedSOPSequence).map((item) => {
        const reason = dicomJsonNumber(item, DicomJsonTag.FailureReason);
        return { ...reference(item), ...(reason !== undefined && { reason }) };
      }),
    };
  }

  async #search(what: string, invoke: (request: Request) => Promise<unknown>): Promise<DicomJsonDataset[]> {
    const result = await this.#call(what, invoke);
    if (result === null || result === undefined || result === '') return [];
    // An array of data sets (objects keyed by tag): not, say, the list of IDs a REST root answers.
    if (!Array.isArray(result) || result.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
      throw new DicomwebError('DICOMWEB_INVALID_RESPONSE', `${what}: expected an array of DICOM JSON data sets, got ${JSON.stringify(result).slice(0, 200)} (is ${this.url} a DICOMweb root?)`);
    }
    return result as DicomJsonDataset[];
  }

  /** Runs one dicomweb-client call over a fresh FetchXhr and turns every failure into a DicomwebError. */
  async #call<T>(what: string, invoke: (request: Request) => Promise<T>): Promise<T> {
    const xhr = new FetchXhr(this.#fetch);
    const handlerFailed = new Promise<never>((_, reject) => {
      xhr.onHandlerError = reject;
    });
    handlerFailed.catch(() => {});
    let result: T;
    try {
      result = await Promise.race([invoke({ instance: xhr as unknown as XMLHttpRequest }), handlerFailed]);
    } catch (error) {
      throw this.#toError(what, xhr, error);
    }
    if (xhr.invalidJson) {
      throw new DicomwebError('DICOMWEB_INVALID_RESPONSE', `${what}: ${xhr.url} answered HTTP ${xhr.status} with a body that is not JSON (is ${this.url} a DICOMweb root?)`, {
        details: { url: xhr.url, status: xhr.status },
      });
    }
    return result;
  }

  #toError(what: string, xhr: FetchXhr, error: unknown): DicomwebError {
    if (error instanceof DicomwebError) return error;
    const url = xhr.url || this.url;
    if (xhr.readyState === 4 && xhr.status === 0) {
      const cause = xhr.networkError as (Error & { cause?: { code?: string; message?: string } }) | undefined;
      const reason = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? 'no response';
      return new DicomwebError('DICOMWEB_UNREACHABLE', `${what}: cannot reach the DICOMweb service at ${this.url} (${reason})`, { cause: xhr.networkError, details: { url } });
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status > 0) {
      const body = xhr.response instanceof ArrayBuffer ? new TextDecoder().decode(xhr.response) : typeof xhr.response === 'string' ? xhr.response : JSON.stringify(xhr.response);
      const detail = (body ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
      return new DicomwebError('DICOMWEB_HTTP_ERROR', `${what}: HTTP ${status}${xhr.statusText ? ` ${xhr.statusText}` : ''} from ${url}${detail ? `: ${detail}` : ''}`, {
        cause: error,
        details: { status, url },
      });
    }
    return new DicomwebError('DICOMWEB_INVALID_RESPONSE', `${what}: ${(error as Error)?.message ?? String(error)} (from ${url})`, { cause: error, details: { url } });
  }
}
