import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { liveView, parseUrlState, subscribeToUrl } from './app/url-state.ts';
import { LiveConnection } from './live/connection.ts';
import { enableTickTiming, tickTimingRequested } from './live/tick-timing.ts';
import { TickTimingProbe } from './live/tick-timing-probe.tsx';
import { refetchFailedWhenLive } from './live/refetch-when-live.ts';
import { LiveConnectionContext } from './live/use-live.ts';
import './app/base.css';
import './app/layout.css';
import './live/live.css';
import './kpis/kpis.css';
import './scopes/scopes.css';
import './charts/charts.css';
import './map/map.css';

const viewFromUrl = () => liveView(parseUrlState(window.location.search));

// ?bench=1: the client benchmark times each tick up to the end of the commit it caused.
const timeTicks = tickTimingRequested(window.location.search);
if (timeTicks) enableTickTiming();

// The connection lives outside React and follows the URL directly, so a scope change
// re-subscribes in the same task as the navigation and no render shows the old view's figures.
const connection = new LiveConnection({ view: viewFromUrl() });
const statusFromUrl = () => parseUrlState(window.location.search).status;
connection.setStatusFilter(statusFromUrl());
subscribeToUrl(() => {
  connection.setView(viewFromUrl());
  connection.setStatusFilter(statusFromUrl());
});
connection.start();

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 3, refetchOnWindowFocus: false } },
});
refetchFailedWhenLive(connection, queryClient);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LiveConnectionContext value={connection}>
        <App />
        {timeTicks ? <TickTimingProbe /> : null}
      </LiveConnectionContext>
    </QueryClientProvider>
  </StrictMode>,
);
