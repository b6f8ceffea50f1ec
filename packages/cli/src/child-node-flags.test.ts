import { describe, expect, it } from 'vitest';
import { childNodeFlags } from './child-node-flags.js';

describe('childNodeFlags', () => {
  it('starts serve with a 256 MB initial old generation, and no other command with anything', () => {
    expect(childNodeFlags('serve', [], undefined)).toEqual(['--initial-old-space-size=256']);
    expect(childNodeFlags('serve', ['--import', 'tsx', '--conditions=source'], '--max-old-space-size=4096')).toEqual(['--initial-old-space-size=256']);
    expect(childNodeFlags('train', [], undefined)).toEqual([]);
    expect(childNodeFlags(undefined, [], undefined)).toEqual([]);
  });

  it("leaves the user's own initial old-space size, given to node or in NODE_OPTIONS, as it is", () => {
    expect(childNodeFlags('serve', ['--initial-old-space-size=64'], undefined)).toEqual([]);
    expect(childNodeFlags('serve', [], '--trace-warnings --initial_old_space_size=1024')).toEqual([]);
  });
});
