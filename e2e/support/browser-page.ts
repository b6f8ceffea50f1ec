import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { serveFiles, type StaticFile } from './static-server.js';

export interface BundledPage {
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * A browser entry bundled as the studio would bundle it (esbuild, ESM, the `source` condition so
 * @cvf/* come from their TypeScript), served from http://localhost with COOP/COEP, and opened in
 * headless Chromium; resolves once the page has defined `window[ready]`.
 */
export async function openBundledPage(
  entry: URL,
  options: { ready: string; title?: string; build?: Pick<BuildOptions, 'splitting' | 'external'>; files?: Readonly<Record<string, StaticFile>> },
): Promise<BundledPage> {
  const bundle = await build({
    entryPoints: { main: fileURLToPath(entry) },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['source'],
    outdir: '/',
    write: false,
    ...options.build,
  });
  const files: Record<string, StaticFile> = {
    '/index.html': { type: 'text/html', body: `<!doctype html><title>${options.title ?? options.ready}</title><script type="module" src="/main.js"></script>` },
    ...options.files,
  };
  for (const out of bundle.outputFiles) if (out.path.endsWith('.js')) files[out.path] = { type: 'text/javascript', body: out.contents };
  const server = await serveFiles(files);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction((name) => typeof (window as unknown as Record<string, unknown>)[name] === 'function', options.ready);
    return {
      page,
      close: async () => {
        await browser?.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
