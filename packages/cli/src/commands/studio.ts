import { CvfError } from '@cvf/core';
import { startStudioServer } from '@cvf/studio/server';
import { Command, InvalidArgumentError, Option } from 'commander';
import { EXIT, runAction } from '../output.js';
import { locateStore } from '../store-location.js';
import { CLI_VERSION } from '../version.js';
import { collectOption } from './serve-options.js';

function portOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535');
  return n;
}

function concurrencyOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 64) throw new InvalidArgumentError('expected an integer from 1 to 64');
  return n;
}

interface StudioOptions {
  port: number;
  host: string;
  store?: string;
  configs: string;
  token?: string;
  concurrency: number;
  dicomweb?: string;
  deidOption?: string[];
}

export function registerStudio(program: Command): void {
  program
    .command('studio')
    .description('the web studio: edit pipelines, launch and follow training runs, compare runs, manage the registry')
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').argParser(portOption).default(5173))
    .option('--host <host>', 'address to listen on; anything but loopback needs --token', '127.0.0.1')
    .option('--store <dir|url>', 'tracking store: a folder or a postgres:// URL (default: $CVF_STORE, else the nearest .cvf/ here or above, else ./.cvf)')
    .option('--configs <dir>', 'folder of pipeline configs the editor opens', 'configs')
    .addOption(new Option('--token <token>', 'token the login page asks for (required off loopback)').env('CVF_STUDIO_TOKEN'))
    .addOption(new Option('--concurrency <n>', 'training runs at once').argParser(concurrencyOption).default(1))
    .option('--dicomweb <url>', 'DICOMweb base URL the viewer may query')
    .option('--deid-option <name>', 'a PS3.15 option of the profile DICOM leaves the studio de-identified with (repeatable; the names of cvf dicom deid --option)', collectOption)
    .action((options: StudioOptions) =>
      runAction(false, async () => {
        if (options.dicomweb !== undefined && !/^https?:\/\//.test(options.dicomweb)) throw new CvfError('USAGE_INVALID', `--dicomweb must be an http(s) URL, not "${options.dicomweb}"`);
        // The studio launches runs, so like cvf train it starts a store where none is found.
        const store = locateStore({ flag: options.store, use: 'create' }).root;
        const studio = await startStudioServer({
          port: options.port,
          host: options.host,
          store,
          configs: options.configs,
          ...(options.token ? { token: options.token } : {}),
          concurrency: options.concurrency,
          ...(options.dicomweb ? { dicomweb: options.dicomweb } : {}),
          ...(options.deidOption ? { deidOptions: options.deidOption } : {}),
          // Queued runs are this same cvf: this Node, its flags (a tsx loader in development), its script.
          trainCommand: { command: process.execPath, args: [...process.execArgv, process.argv[1]!] },
          version: CLI_VERSION,
        });
        process.stdout.write(`CV Factory studio: ${studio.url}\n(store ${studio.store}, configs ${options.configs}; Ctrl-C stops it)\n`);
        await new Promise<void>((done) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            process.stdout.write('stopping the studio (running trainings end as killed)…\n');
            void studio.close().then(done);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        return EXIT.ok;
      }, EXIT.badInput),
    );
}
