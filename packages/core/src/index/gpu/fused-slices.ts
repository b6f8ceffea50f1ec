import { isSoftwareAdapter } from '../../compute/create-device.js';
import type { Device } from '../../compute/device.js';
import { FUSED_CHUNK, FUSED_QUERY_TILE } from '../../compute/kernels-shared/running-top-k.wgsl.js';

/** Workgroups a fused scan aims for on a hardware GPU: enough to occupy every compute unit of a large one. */
const TARGET_WORKGROUPS = 256;

/**
 * Slices of the base for a fused scan of `m` queries over `n` rows: 1 (one pass) when the query
 * tiles alone give TARGET_WORKGROUPS workgroups, or on a software adapter (a few CPU threads that
 * one workgroup per tile already occupies); else enough slices to reach it, whose k best per query
 * top-k-merge then reduces.
 */
export function fusedSlices(device: Device, m: number, n: number): number {
  if (device.adapter && isSoftwareAdapter(device.adapter)) return 1;
  const tiles = Math.ceil(m / FUSED_QUERY_TILE);
  return Math.max(1, Math.min(Math.ceil(n / FUSED_CHUNK), Math.floor(TARGET_WORKGROUPS / tiles)));
}
