import { useMemo, useState } from 'react';
import { lineDiff } from './line-diff.js';

/** The run's resolved config; against the parent's, the lines that differ are marked. */
export function ConfigDiff({ configText, parentConfigText }: { configText: string; parentConfigText: string | null }) {
  const [onlyChanges, setOnlyChanges] = useState(parentConfigText !== null);
  const lines = useMemo(() => (parentConfigText === null ? configText.split('\n').map((text) => ({ kind: 'same' as const, text })) : lineDiff(parentConfigText, configText)), [configText, parentConfigText]);
  const changed = lines.filter((l) => l.kind !== 'same').length;
  const shown = onlyChanges ? lines.filter((l) => l.kind !== 'same') : lines;
  return (
    <div className="config-diff">
      {parentConfigText !== null && (
        <label className="muted">
          <input type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} /> only the {changed} lines that differ from the parent
        </label>
      )}
      <pre className="code" data-testid="config-diff">
        {shown.map((line, i) => (
          <div key={i} className={`diff-${line.kind}`}>
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
            {line.text}
          </div>
        ))}
        {shown.length === 0 && <div className="muted">same config as the parent</div>}
      </pre>
    </div>
  );
}
