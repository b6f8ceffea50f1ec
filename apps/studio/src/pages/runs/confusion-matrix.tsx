import { useState } from 'react';
import type { SplitEvaluation } from '../../api/schemas.js';
import { MisclassifiedCases } from './misclassified-cases.js';

/**
 * The confusion matrix of the test split (rows: true class, columns: predicted), shaded by the
 * share of each row. A click on an off-diagonal cell lists those misclassified images.
 */
export function ConfusionMatrix({ runId, evaluation }: { runId: string; evaluation: SplitEvaluation }) {
  const [cell, setCell] = useState<{ actual: number; predicted: number } | null>(null);
  const { classes, confusionMatrix } = evaluation;
  return (
    <div className="confusion">
      <table className="matrix" data-testid="confusion-matrix">
        <caption>
          Rows: true class · columns: predicted. Click a cell to see its images.
        </caption>
        <thead>
          <tr>
            <th />
            {classes.map((c, j) => (
              <th key={j} className="matrix-col" title={c}>
                <span>{c}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {confusionMatrix.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0) || 1;
            return (
              <tr key={i}>
                <th className="matrix-row" title={classes[i]}>
                  {classes[i]}
                </th>
                {row.map((count, j) => {
                  const share = count / total;
                  const diagonal = i === j;
                  const selected = cell?.actual === i && cell.predicted === j;
                  return (
                    <td key={j} className={`matrix-cell${selected ? ' selected' : ''}`} style={{ background: cellColor(share, diagonal), color: share > 0.55 ? 'white' : undefined }}>
                      <button
                        type="button"
                        disabled={count === 0}
                        onClick={() => setCell({ actual: i, predicted: j })}
                        aria-label={`${count} images of ${classes[i]} predicted as ${classes[j]}`}
                        data-testid="confusion-cell"
                      >
                        {count}
                      </button>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {cell && <MisclassifiedCases runId={runId} actual={cell.actual} predicted={cell.predicted} classes={classes} onClose={() => setCell(null)} />}
    </div>
  );
}

/** Blue for correct predictions, red for confusions; the stronger, the larger the row's share. */
function cellColor(share: number, diagonal: boolean): string {
  if (share === 0) return 'transparent';
  const alpha = 0.08 + share * 0.85;
  return diagonal ? `rgba(37, 99, 235, ${alpha})` : `rgba(220, 38, 38, ${Math.min(1, alpha * 1.6)})`;
}
