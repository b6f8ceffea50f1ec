import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { countPhysicalCores, parseCpuList, physicalCores } from './physical-cores.js';

describe('parseCpuList', () => {
  it('reads single CPUs and ranges, and leaves out what is not one', () => {
    expect(parseCpuList('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList('5')).toEqual([5]);
    expect(parseCpuList('')).toEqual([]);
    expect(parseCpuList('0-1,x,3')).toEqual([0, 1, 3]);
  });
});

describe('countPhysicalCores', () => {
  it('counts two hardware threads of a core once', () => {
    // A 2-core host with SMT: CPUs 0 and 2 share core 0, CPUs 1 and 3 core 1.
    const siblings: Record<number, string> = { 0: '0,2', 1: '1,3', 2: '0,2', 3: '1,3' };
    expect(countPhysicalCores([0, 1, 2, 3], (cpu) => siblings[cpu])).toBe(2);
    // The same host written with ranges by another kernel.
    expect(countPhysicalCores([0, 1], (cpu) => (cpu === 0 ? '0-1' : '0,1'))).toBe(1);
  });

  it('counts every vCPU of a VM without SMT', () => {
    expect(countPhysicalCores([0, 1], (cpu) => String(cpu))).toBe(2);
  });

  it('counts only the cores of the CPUs the process may use', () => {
    const siblings: Record<number, string> = { 0: '0,2', 1: '1,3', 2: '0,2', 3: '1,3' };
    expect(countPhysicalCores([0, 2], (cpu) => siblings[cpu])).toBe(1);
  });

  it('counts a CPU whose topology cannot be read as a core of its own', () => {
    expect(countPhysicalCores([0, 1, 2], (cpu) => (cpu === 0 ? '0' : undefined))).toBe(3);
  });
});

describe('physicalCores', () => {
  it('is between 1 and the CPUs this process may use on Linux, and undefined elsewhere (ONNX Runtime keeps its default)', () => {
    const cores = physicalCores();
    if (process.platform !== 'linux') {
      expect(cores).toBeUndefined();
      return;
    }
    expect(cores).toBeGreaterThanOrEqual(1);
    expect(cores).toBeLessThanOrEqual(availableParallelism());
  });
});
