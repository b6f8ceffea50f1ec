import { BundleError, signBundle, verifyBundleSignature, type ModelVersion } from '@cvf/core';
import { loadResolvedBundle, readRegularFile, writeBundleSignature, writeBundleTar } from '@cvf/core/node';
import { statSync } from 'node:fs';
import { Command, Option } from 'commander';
import { resolveModelArgument } from '../model-argument.js';
import { EXIT, printJson, runAction } from '../output.js';
import { openStore } from '../store-location.js';
import { formatMetrics, formatTable } from './runs-format.js';

const storeOption = () => new Option('--store <dir|url>', 'tracking store: a folder or a postgres:// URL (default: $CVF_STORE, else the nearest .cvf/ here or above)');

/** The JSON shape of `cvf models list --json`, one entry per version. */
function describe(v: ModelVersion) {
  return { name: v.name, version: v.version, aliases: v.aliases, runId: v.runId, bundle: v.bundle, bundleDigest: v.bundleDigest, metrics: v.metrics };
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('registered models, their versions and aliases');

  models
    .command('list')
    .description('every version of every model (or of one), newest first')
    .argument('[name]', 'only this model')
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action((name: string | undefined, options: { store?: string; json?: boolean }) =>
      runAction(Boolean(options.json), async () => {
        const store = await openStore({ flag: options.store, use: 'read' });
        try {
          if (name !== undefined && !(await store.listModelNames()).includes(name)) throw await store.modelNotFound(name);
          const versions = (await store.listVersions(name)).map(describe);
          if (options.json) printJson(versions);
          else if (versions.length === 0) process.stdout.write('no models\n');
          else {
            const rows = versions.map((v) => [`${v.name}@${v.version}`, v.aliases.join(', '), v.runId?.slice(0, 8) ?? '', formatMetrics(v.metrics), v.bundle]);
            process.stdout.write(`${formatTable(['model', 'aliases', 'run', 'test metrics', 'bundle'], rows)}\n`);
          }
          return EXIT.ok;
        } finally {
          await store.close();
        }
      }),
    );

  models
    .command('promote')
    .description('point an alias (staging, production, ...) at a version')
    .argument('<name>')
    .argument('<version>', 'version number', (v) => Number.parseInt(v, 10))
    .requiredOption('--alias <alias>', 'alias to set, e.g. staging or production')
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action((name: string, version: number, options: { alias: string; store?: string; json?: boolean }) =>
      runAction(
        Boolean(options.json),
        async () => {
          const store = await openStore({ flag: options.store, use: 'read' });
          try {
            const promoted = describe(await store.setAlias(name, version, options.alias));
            if (options.json) printJson(promoted);
            else process.stdout.write(`${name}@${version} is now ${options.alias}\n`);
            return EXIT.ok;
          } finally {
            await store.close();
          }
        },
        EXIT.badInput,
      ),
    );

  models
    .command('export')
    .description('write a model as one .tar bundle file, for shipping to an edge box or a browser cache (checksums verified first)')
    .argument('<model>', 'NAME@ALIAS or NAME@VERSION (e.g. fashion-mnist@production), or a bundle folder')
    .argument('<out>', 'the .tar file to write (must not exist)')
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action((model: string, out: string, options: { store?: string; json?: boolean }) =>
      runAction(
        Boolean(options.json),
        async () => {
          const resolved = await resolveModelArgument(model, options.store);
          const { registered } = resolved;
          const bundle = await loadResolvedBundle(resolved);
          // A registered version ships with its registry version in the manifest (a bundle is written before it is registered).
          const shipped = registered ? { ...bundle, manifest: { ...bundle.manifest, version: registered.version } } : bundle;
          await writeBundleTar(shipped, out);
          const summary = { name: shipped.manifest.name, version: shipped.manifest.version, file: out, files: Object.keys(shipped.manifest.files).length + 1 };
          if (options.json) printJson(summary);
          else process.stdout.write(`${summary.name}${summary.version === null ? '' : `@${summary.version}`} → ${out} (${summary.files} files)\n`);
          return EXIT.ok;
        },
        EXIT.badInput,
      ),
    );

  models
    .command('sign')
    .description('sign a bundle folder with an Ed25519 private key (writes manifest.sig beside its manifest; cvf models export carries it)')
    .argument('<model>', 'NAME@ALIAS or NAME@VERSION, or a bundle folder')
    .requiredOption('--key <file>', 'Ed25519 private key, PEM (openssl genpkey -algorithm ed25519 -out key.pem)')
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action((model: string, options: { key: string; store?: string; json?: boolean }) =>
      runAction(
        Boolean(options.json),
        async () => {
          const resolved = await resolveModelArgument(model, options.store);
          if (!statSync(resolved.source.location).isDirectory()) {
            throw new BundleError('BUNDLE_INVALID', `${resolved.source.location} is not a bundle folder: sign the folder, then export it (the .tar carries the signature)`);
          }
          const bundle = await loadResolvedBundle(resolved);
          const key = new TextDecoder().decode(await readRegularFile(options.key, { what: 'private key', maxBytes: 64 << 10 }));
          const { file, signature: signed } = await signBundle(bundle.manifest, key);
          await writeBundleSignature(resolved.source.location, file);
          const summary = { name: bundle.manifest.name, bundle: resolved.source.location, digest: signed.digest, keyId: signed.keyId };
          if (options.json) printJson(summary);
          else process.stdout.write(`signed ${summary.bundle} (digest ${summary.digest.slice(0, 12)}…, key ${summary.keyId})\n`);
          return EXIT.ok;
        },
        EXIT.badInput,
      ),
    );

  models
    .command('verify')
    .description("check a bundle's checksums, registry digest and Ed25519 signature against a public key")
    .argument('<model>', 'NAME@ALIAS or NAME@VERSION, a bundle folder or a .tar')
    .requiredOption('--public-key <file>', 'Ed25519 public key, PEM (openssl pkey -in key.pem -pubout -out key.pub)')
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action((model: string, options: { publicKey: string; store?: string; json?: boolean }) =>
      runAction(
        Boolean(options.json),
        async () => {
          const publicKey = new TextDecoder().decode(await readRegularFile(options.publicKey, { what: 'public key', maxBytes: 64 << 10 }));
          const bundle = await loadResolvedBundle(await resolveModelArgument(model, options.store), { publicKey });
          const signature = await verifyBundleSignature(bundle.manifest, bundle.signature ?? null, publicKey);
          const summary = { name: bundle.manifest.name, verified: true, digest: signature.digest, keyId: signature.keyId };
          if (options.json) printJson(summary);
          else process.stdout.write(`${model}: signature verified (digest ${summary.digest.slice(0, 12)}…, key ${summary.keyId})\n`);
          return EXIT.ok;
        },
        EXIT.badInput,
      ),
    );
}
