import type { ClassReport } from '../../api/schemas.js';
import { formatNumber } from './progress-bar.js';

const COLUMNS = ['support', 'precision', 'recall', 'specificity', 'f1', 'auroc', 'auprc'] as const;

/** Precision, recall, F1 and AUCs per class (test split). */
export function PerClassTable({ rows }: { rows: readonly ClassReport[] }) {
  return (
    <table className="data-table" data-testid="per-class-table">
      <thead>
        <tr>
          <th>class</th>
          {COLUMNS.map((c) => (
            <th key={c} className="num">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <td>{row.label}</td>
            {COLUMNS.map((c) => (
              <td key={c} className="num">
                {formatNumber(row[c])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
