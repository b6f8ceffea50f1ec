import { defaultClientConditions, defineConfig } from 'vite';

// Cross-origin isolation (COOP/COEP) lets onnxruntime-web use WebAssembly threads; the studio
// server sets the same headers in production.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  // @cvf/core is bundled from its TypeScript sources: one build, no stale dist. The default
  // conditions stay (their `production` picks React Router's production build).
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: { headers: isolation },
  preview: { headers: isolation },
  // No source maps in the shipped build: they would publish the packages' source paths; `vite` dev serves sources.
  build: { target: 'es2022', sourcemap: false },
});
