import { diagnose, type DoctorReport } from '@cvf/core/node';
import type { Command } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('report the WebGPU adapter, the ONNX Runtime execution providers that work, and (--kernels) kernel agreement on every backend')
    .option('--kernels', 'run every registered kernel on seeded random inputs on cpu and webgpu and compare them')
    .option('--seed <n>', 'seed of the random kernel inputs (default: varies per run)', (v) => Number.parseInt(v, 10))
    .option('--json', 'print the report as JSON')
    .action((options: { kernels?: boolean; seed?: number; json?: boolean }) =>
      runAction(Boolean(options.json), async () => {
        const report = await diagnose({ kernels: Boolean(options.kernels), ...(options.seed !== undefined ? { seed: options.seed } : {}) });
        if (options.json) printJson(report);
        else printReport(report);
        // Kernels that disagree mean results cannot be trusted on this machine: fail loudly.
        return report.kernels?.some((k) => !k.ok) ? EXIT.failed : EXIT.ok;
      }),
    );
}

function printReport(report: DoctorReport): void {
  const lines: string[] = [];
  if (report.webgpu.available) {
    const { vendor, architecture, description } = report.webgpu.adapter;
    lines.push(`WebGPU        available: ${[vendor, architecture, description].filter(Boolean).join(' / ') || 'unnamed adapter'}`);
  } else {
    lines.push(`WebGPU        unavailable: ${report.webgpu.reason}`);
  }
  const ort = report.onnxruntime;
  lines.push(`ONNX Runtime  ${ort.version ?? 'not loaded'}; execution providers that ran a graph: ${ort.executionProviders.join(', ') || 'none'}`);
  for (const [provider, reason] of Object.entries(ort.failures)) lines.push(`              ${provider} failed: ${reason}`);
  if (report.kernels) {
    lines.push('', 'kernel                 backends      max rel. error   tolerance   verdict');
    for (const k of report.kernels) {
      lines.push(
        `${k.name.padEnd(22)} ${k.backends.join(',').padEnd(13)} ${k.maxRelError.toExponential(2).padStart(14)}   ${k.tolerance.toExponential(0).padStart(9)}   ${k.ok ? 'ok' : 'FAILED'}`,
      );
      for (const failure of k.failures ?? []) lines.push(`    ${failure}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
