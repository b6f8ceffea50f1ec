import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '../http/http-error.js';

/** One file of a multipart/form-data upload. */
export interface UploadedFile {
  readonly name: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

/**
 * The files of a multipart/form-data body (already read within the body limit), in order, parsed
 * by busboy. A body that is not well-formed multipart is a 400; one with no file a 400; more than
 * `maxFiles` files a 400 naming the limit.
 */
export function parseMultipart(headers: IncomingHttpHeaders, body: Buffer, maxFiles: number): Promise<UploadedFile[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { files: maxFiles, fields: 32, fieldSize: 4096 } });
    } catch (error) {
      reject(new HttpError(400, 'MULTIPART_INVALID', `multipart/form-data: ${(error as Error).message}`));
      return;
    }
    const files: UploadedFile[] = [];
    let failed: HttpError | undefined;
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => files.push({ name: info.filename ?? field, mediaType: info.mimeType, bytes: Buffer.concat(chunks) }));
    });
    parser.on('filesLimit', () => (failed ??= new HttpError(400, 'TOO_MANY_FILES', `more than ${maxFiles} files in one request (--max-batch)`)));
    parser.on('error', (error: Error) => reject(new HttpError(400, 'MULTIPART_INVALID', `multipart/form-data: ${error.message}`)));
    parser.on('close', () => {
      if (failed) reject(failed);
      else if (files.length === 0) reject(new HttpError(400, 'NO_FILES', 'the multipart/form-data body holds no file part'));
      else resolve(files);
    });
    parser.end(body);
  });
}
