import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../load.js';
import { CONFIG_FILE as FILE, issuesOf } from '../testing/config-issues.js';

const MINIMAL = `version: 1
name: minimal
data:
  source: { kind: idx, images: images.gz, labels: labels.gz }
`;

describe('monitor section', () => {
  it('reads time triggers and a rule selector', () => {
    const config = parsePipelineConfig(
      `${MINIMAL}monitor:
  schedule:
    - { name: nightly, cron: '0 2 * * *', action: drift-check }
    - { name: every-second, cron: '* * * * * *', action: retrain }
  retrain: { enabled: true, selector: { kind: rule, maxSensitivityDrop: 0.05 } }
`,
      FILE,
    );
    expect(config.monitor.schedule.map((s) => s.name)).toEqual(['nightly', 'every-second']);
    expect(config.monitor.retrain.selector).toEqual({ kind: 'rule', maxSensitivityDrop: 0.05, maxEceIncrease: 0.02 });
  });

  it('names the bad cron expression and where it is', () => {
    const [issue] = issuesOf(`${MINIMAL}monitor:\n  schedule:\n    - { name: bad, cron: '61 * * * *', action: retrain }\n`);
    expect(issue).toMatchObject({ path: 'monitor.schedule[0].cron', line: 7 });
    expect(issue?.message).toContain('"61 * * * *"');
  });

  it('refuses a sensitivity trigger without its class, and a duplicated trigger name', () => {
    const issues = issuesOf(`${MINIMAL}monitor:
  performance: { enabled: true, metric: sensitivity }
  schedule:
    - { name: a, cron: '0 2 * * *', action: drift-check }
    - { name: a, cron: '0 3 * * *', action: retrain }
`);
    expect(issues.map((i) => i.path).sort()).toEqual(['monitor.performance.class', 'monitor.schedule[1].name']);
  });

  it('refuses retraining that nothing triggers', () => {
    const [issue] = issuesOf(`${MINIMAL}monitor:\n  retrain: { enabled: true }\n`);
    expect(issue?.path).toBe('monitor.retrain.enabled');
    expect(issue?.message).toContain('nothing triggers it');
  });
});
