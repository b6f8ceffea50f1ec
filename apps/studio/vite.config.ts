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
  build: {
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      // @cvf/core's isomorphic modules run nothing at import (no top-level calls or global
      // writes): a page that imports the config schema does not pull in the kernels and training.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]packages[\\/]core[\\/]src[\\/](?!node[\\/])/.test(id) },
      output: {
        codeSplitting: {
          // The pipeline validator (config schema, YAML parser, errors) in its own chunk: the
          // editor loads it without the rest of @cvf/core (kernels, training, bundles).
          groups: [{ name: 'pipeline-config', test: /[\\/]packages[\\/]core[\\/]src[\\/](config[\\/]|errors\.ts|tracking[\\/]validate\.ts)|[\\/]node_modules[\\/]yaml[\\/]/ }],
        },
      },
    },
  },
});
