import { describe, expect, it } from 'vitest';
import { NativeStderrFilter } from './native-stderr-filter.js';

/** Feeds chunks through a filter; returns what came out after each chunk. */
function run(chunks: readonly string[]): string[] {
  const out: string[] = [];
  let written = '';
  const filter = new NativeStderrFilter((text) => (written += text));
  for (const chunk of chunks) {
    filter.push(chunk);
    out.push(written);
    written = '';
  }
  filter.end();
  out.push(written);
  return out;
}

const DAWN = 'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\n';

describe('NativeStderrFilter', () => {
  it("drops Dawn's warning lines and keeps every other line", () => {
    expect(run([`${DAWN}[cvf] WebGPU unavailable, computing on the CPU\n${DAWN}error [X]: y\n`]).join('')).toBe('[cvf] WebGPU unavailable, computing on the CPU\nerror [X]: y\n');
  });

  it('drops the stack lines under a Dawn warning, not indented lines elsewhere', () => {
    const text = 'Warning: vkEnumeratePhysicalDevices\n    at GatherPhysicalDevices (VulkanInfo.cpp:147)\n\nreport:\n    at the top\n';
    expect(run([text]).join('')).toBe('\nreport:\n    at the top\n');
  });

  it('lets a progress frame (no newline) through at once, and holds only what may become a Dawn line', () => {
    expect(run(['\rtrain 3/10 [====', '      ]  30%', 'Warn', 'ing: x\n', 'Warn', 'ed you\n'])).toEqual(['\rtrain 3/10 [====', '      ]  30%', '', '', '', 'Warned you\n', '']);
  });

  it('a Dawn line split across chunks is still dropped; what is held at the end is written', () => {
    expect(run(['Warning: max', 'Dynamic reduced\nok', '\n', 'tail']).join('')).toBe('ok\ntail');
  });
});
