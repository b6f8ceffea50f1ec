import { useCallback, useEffect, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { ComputeBadge } from './compute-badge.js';
import { ErrorMessage } from './error-message.js';
import { useInfoStore } from './info-store.js';
import { ShortcutHelp } from './shortcut-help.js';
import { useShortcuts } from './use-shortcuts.js';

const NAV = [
  { to: '/pipelines', label: 'Pipelines', key: 'p' },
  { to: '/runs', label: 'Runs', key: 'r' },
  { to: '/models', label: 'Models', key: 'm' },
  { to: '/data', label: 'Data', key: 'd' },
  { to: '/viewer', label: 'Viewer', key: 'v' },
  { to: '/live', label: 'Live', key: 'l' },
] as const;

/** The studio shell: top bar (store, compute), navigation, and the page. */
export function Layout() {
  const { info, error, load } = useInfoStore();
  const [help, setHelp] = useState(false);
  const toggleHelp = useCallback(() => setHelp((open) => !open), []);
  useShortcuts(toggleHelp);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">CV Factory</span>
        <nav className="nav" aria-label="Studio">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')} title={`g ${item.key}`}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <span className="spacer" />
        <span className="store" title={info ? `configs: ${info.configsDir}` : undefined} data-testid="store-path">
          {info ? `store ${info.store}` : ''}
        </span>
        <ComputeBadge />
        <button type="button" className="icon-button" onClick={toggleHelp} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          ?
        </button>
      </header>
      {error !== null && (
        <div className="banner">
          <ErrorMessage error={error} title="The studio server did not answer" onRetry={() => void load()} />
        </div>
      )}
      <main className="page">
        <Outlet />
      </main>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
