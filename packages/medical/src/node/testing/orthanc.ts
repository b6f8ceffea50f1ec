import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, requireInCi, spawnServerProcess, waitUntilReady } from '@cvf/core/testing';

/** Debian's Orthanc and its DICOMweb plugin (packages orthanc, orthanc-dicomweb; scripts/setup.sh installs them). */
export const ORTHANC_PATH = process.env.CVF_ORTHANC ?? '/usr/sbin/Orthanc';
export const ORTHANC_DICOMWEB_PLUGIN = process.env.CVF_ORTHANC_DICOMWEB ?? '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** A running Orthanc, private to one test file. */
export interface OrthancServer {
  /** The REST API root, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The DICOMweb root (QIDO-RS, WADO-RS, STOW-RS), e.g. http://127.0.0.1:41234/dicom-web */
  readonly dicomWebUrl: string;
  readonly httpPort: number;
  readonly dicomPort: number;
  /** The temporary folder holding its configuration, storage and index (removed by `stop`). */
  readonly folder: string;
  /** What Orthanc printed so far (for failure messages). */
  log(): string;
  /** Stops Orthanc (its whole process group) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Why Orthanc tests cannot run here, or undefined (a failure in CI on Linux, `requireInCi`). */
export function orthancUnavailable(): string | undefined {
  const missing = [ORTHANC_PATH, ORTHANC_DICOMWEB_PLUGIN].filter((path) => !existsSync(path));
  return requireInCi("Orthanc (Debian's orthanc and orthanc-dicomweb)", missing.length === 0 || `no ${missing.join(' and no ')}`);
}

async function answersSystem(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/system`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return false;
    const system = (await response.json()) as { Version?: string };
    return typeof system.Version === 'string';
  } catch {
    return false;
  }
}

/**
 * Starts a real Orthanc for a test: a temporary storage and index folder, HTTP and DICOM ports
 * free on loopback, remote access and authentication off, the DICOMweb plugin on. Resolves once
 * Orthanc answers /system. Stop it in afterAll: `stop()` kills its process group and removes the
 * folder (and a process exit kills it too, so nothing is left behind).
 */
export async function startOrthanc({ startTimeoutMs = 60_000 }: { startTimeoutMs?: number } = {}): Promise<OrthancServer> {
  const folder = await mkdtemp(join(tmpdir(), 'cvf-orthanc-'));
  const [httpPort, dicomPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const config = {
    Name: 'cvf-test',
    StorageDirectory: join(folder, 'storage'),
    IndexDirectory: join(folder, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpsCACertificates: '',
    Plugins: [ORTHANC_DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false, Ssl: false, StudiesMetadata: 'Full', SeriesMetadata: 'Full' },
    SaveJobs: false,
    StorageCompression: false,
  };
  await mkdir(config.StorageDirectory);
  await mkdir(config.IndexDirectory);
  const configPath = join(folder, 'orthanc.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));

  // Its own process group, so stop() can end Orthanc and anything it started at once.
  const server = spawnServerProcess(ORTHANC_PATH, [configPath], { group: true });
  const stop = async () => {
    await server.halt();
    await rm(folder, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${httpPort}`;
  const failure = await waitUntilReady(server, 'Orthanc', () => answersSystem(url), { timeoutMs: startTimeoutMs, pollMs: 100, waitingFor: `did not answer ${url}/system` });
  if (failure !== undefined) {
    await stop();
    throw new Error(failure);
  }
  return { url, dicomWebUrl: `${url}/dicom-web`, httpPort, dicomPort, folder, log: server.log, stop };
}
