import type { ConfigEntry } from '../../api/schemas.js';

/** The configs folder as a tree: one group per folder, its YAML files under it. */
export function ConfigsTree({ files, selected, onSelect }: { files: readonly ConfigEntry[]; selected: string | null; onSelect(path: string): void }) {
  const groups = new Map<string, ConfigEntry[]>();
  for (const file of files) {
    const slash = file.path.lastIndexOf('/');
    const folder = slash < 0 ? '' : file.path.slice(0, slash);
    groups.set(folder, [...(groups.get(folder) ?? []), file]);
  }
  if (files.length === 0) return <p className="muted">No YAML files in the configs folder yet.</p>;
  return (
    <nav aria-label="Configs" className="tree">
      {[...groups].map(([folder, entries]) => (
        <div key={folder}>
          {folder && <div className="tree-folder">{folder}/</div>}
          <ul>
            {entries.map((entry) => (
              <li key={entry.path}>
                <button
                  type="button"
                  className={entry.path === selected ? 'tree-file selected' : 'tree-file'}
                  aria-current={entry.path === selected ? 'true' : undefined}
                  onClick={() => onSelect(entry.path)}
                  title={`${entry.path} · ${entry.size} bytes · changed ${new Date(entry.mtimeMs).toLocaleString()}`}
                >
                  {entry.path.slice(folder ? folder.length + 1 : 0)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
