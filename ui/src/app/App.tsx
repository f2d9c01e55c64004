import { lazy, Suspense } from 'react';
import { prefetchTrace } from '../api/trace-prefetch';
import { Loading } from '../components/States';
import { SearchView } from '../views/search/SearchView';
import { Link } from './Link';
import { TenantPicker } from './TenantPicker';
import { useLocation } from './router';
import { useTheme } from './theme';

// Search is the first view and ships in the entry chunk; the others load when first opened.
const loadTraceView = () => import('../views/trace/TraceView');
const TraceView = lazy(loadTraceView);
const ServiceGraphView = lazy(() => import('../views/graph/ServiceGraphView'));
const ServicesView = lazy(() => import('../views/services/ServicesView'));

const TRACE_PATH = /^\/trace\/([0-9a-fA-F]{1,32})\/?$/;

// Opened directly at /trace/<id>: fetch the trace and the trace view's code at once, in parallel.
const initialTrace = TRACE_PATH.exec(window.location.pathname);
if (initialTrace) {
  prefetchTrace(normalTraceId(initialTrace[1]));
  void loadTraceView();
}

function normalTraceId(id: string): string {
  return id.toLowerCase().padStart(32, '0');
}

export function App() {
  const { path } = useLocation();
  const [theme, toggleTheme] = useTheme();
  const trace = TRACE_PATH.exec(path);
  const section = trace
    ? 'trace'
    : path.startsWith('/service-graph')
      ? 'graph'
      : path.startsWith('/services')
        ? 'services'
        : 'search';
  const tab = (to: string, name: string, label: string) => (
    <Link
      href={to}
      className={section === name ? 'tab active' : 'tab'}
      aria-current={section === name ? 'page' : undefined}
    >
      {label}
    </Link>
  );
  return (
    <div className="app">
      <header className="topbar">
        <Link href="/" className="brand">
          Tracehouse
        </Link>
        <nav className="tabs">
          {tab('/search', 'search', 'Search')}
          {tab('/service-graph', 'graph', 'Service graph')}
          {tab('/services', 'services', 'Services')}
        </nav>
        <TenantPicker />
        <button className="ghost theme-toggle" onClick={toggleTheme} title="Switch light / dark theme">
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </header>
      <main className="content">
        <Suspense fallback={<Loading what="view" />}>
          {trace ? (
            <TraceView key={normalTraceId(trace[1])} traceId={normalTraceId(trace[1])} />
          ) : section === 'graph' ? (
            <ServiceGraphView />
          ) : section === 'services' ? (
            <ServicesView />
          ) : (
            <SearchView />
          )}
        </Suspense>
      </main>
    </div>
  );
}
