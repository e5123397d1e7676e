import { StrictMode, type ReactNode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, Route, Switch, useRoute } from 'wouter';
import { DataVersion, getJson, type Meta, useAsOf } from './api';
import { formatTimestamp, type Zone, ZoneContext } from './format';
import { Cve } from './pages/Cve';
import { NodePage } from './pages/NodePage';
import { Nodes } from './pages/Nodes';
import { Overview } from './pages/Overview';
import { Patches } from './pages/Patches';
import { Quality } from './pages/Quality';
import { Teams } from './pages/Teams';
import { useUrlState } from './url-state';
import { Trends } from './pages/Trends';
import './styles.css';

const PAGES = [
  ['/', 'Overview'],
  ['/nodes', 'Nodes'],
  ['/patches', 'Patches'],
  ['/cve', 'CVE'],
  ['/teams', 'Teams'],
  ['/trends', 'Trends'],
  ['/quality', 'Data quality'],
] as const;
/** How often to ask whether an ingest has committed new data. */
const META_POLL_MS = 5000;

function NavLink(props: { href: string; label: string }): ReactNode {
  const [active] = useRoute(props.href === '/' ? '/' : `${props.href}/*?`);
  // Moving between pages keeps the day looked back to.
  const asOf = useAsOf();
  const href = asOf ? `${props.href}?asOf=${encodeURIComponent(asOf)}` : props.href;
  return (
    <Link href={href} className={active ? 'active' : undefined}>
      {props.label}
    </Link>
  );
}

/** Look back to the end of a past UTC day; empty means now. */
function AsOfPicker(): ReactNode {
  const [get, set] = useUrlState();
  return (
    <label className="zone">
      As of (UTC day end){' '}
      <input type="date" value={get('asOf')} onChange={(event) => set({ asOf: event.target.value })} />
      {get('asOf') ? (
        <button type="button" onClick={() => set({ asOf: undefined })}>
          now
        </button>
      ) : null}
    </label>
  );
}

function App(): ReactNode {
  const [meta, setMeta] = useState<Meta>();
  const [problem, setProblem] = useState<string>();
  const asOf = useAsOf();
  const [zone, setZone] = useState<Zone>(() =>
    localStorage.getItem('patchboard-zone') === 'local' ? 'local' : 'UTC',
  );
  useEffect(() => {
    let stopped = false;
    const poll = () =>
      getJson<Meta>('/api/meta').then(
        (next) => {
          if (stopped) return;
          setProblem(undefined);
          setMeta((previous) =>
            previous?.dataVersion === next.dataVersion &&
            previous.evaluatedAt === next.evaluatedAt &&
            JSON.stringify(previous.refresh) === JSON.stringify(next.refresh)
              ? previous
              : next,
          );
        },
        (error: unknown) => !stopped && setProblem(String((error as Error).message)),
      );
    void poll();
    const timer = setInterval(() => void poll(), META_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  // The views ask for their answers at once, without waiting for the first look at the data version: those
  // answers are of the data that first look finds, so only a later version makes them ask again (before, every
  // view of the first page was asked twice, the second time only after /api/meta had answered).
  const firstVersion = useRef<string | undefined>(undefined);
  const version = meta ? `${meta.dataVersion}|${meta.evaluatedAt}` : '';
  firstVersion.current ??= meta ? version : undefined;
  const chooseZone = (next: Zone) => {
    localStorage.setItem('patchboard-zone', next);
    setZone(next);
  };
  return (
    <ZoneContext.Provider value={{ zone, setZone: chooseZone }}>
      <DataVersion.Provider value={version === firstVersion.current ? '' : version}>
        <header className="top">
          <h1>Patchboard</h1>
          <nav>
            {PAGES.map(([href, label]) => (
              <NavLink key={href} href={href} label={label} />
            ))}
          </nav>
          <AsOfPicker />
          <label className="zone">
            Times in{' '}
            <select value={zone} onChange={(event) => chooseZone(event.target.value as Zone)}>
              <option value="UTC">UTC</option>
              <option value="local">this browser&apos;s zone</option>
            </select>
          </label>
        </header>
        {problem ? (
          <p className="error" role="alert">
            {problem}
          </p>
        ) : null}
        <main>
          <Switch>
            <Route path="/">{() => <Overview refresh={meta?.refresh ?? null} />}</Route>
            <Route path="/nodes">{() => <Nodes meta={meta} />}</Route>
            <Route path="/nodes/:account/:region/:node">
              {(params) => <NodePage account={params.account} region={params.region} node={params.node} />}
            </Route>
            <Route path="/patches" component={Patches} />
            <Route path="/cve" component={Cve} />
            <Route path="/teams" component={Teams} />
            <Route path="/trends">{() => <Trends meta={meta} />}</Route>
            <Route path="/quality" component={Quality} />
            <Route>
              <p className="empty">
                No such page. <Link href="/">Back to the overview</Link>.
              </p>
            </Route>
          </Switch>
        </main>
        <footer>
          {meta ? (
            <span data-testid="evaluated-at">
              Evaluated at{' '}
              {asOf ? `the end of ${asOf} (UTC), from history` : formatTimestamp(meta.evaluatedAt, zone)} ·
              data copied {formatTimestamp(meta.snapshotTakenAt, zone)} · {meta.nodes.toLocaleString('en-US')}{' '}
              nodes · Patchboard {meta.version}
            </span>
          ) : null}
          {meta?.viewer && meta.viewer.via !== 'token' ? (
            <form className="viewer" method="post" action="/auth/logout" data-testid="viewer">
              Signed in as {meta.viewer.name} ·{' '}
              {meta.viewer.scope.kind === 'fleet'
                ? 'the whole fleet'
                : `team ${meta.viewer.scope.teams.join(', ')}`}{' '}
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </footer>
      </DataVersion.Provider>
    </ZoneContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
