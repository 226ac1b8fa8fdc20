import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HistoryService } from '../history/service.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { Pipeline } from '../pipeline.ts';

export interface MetricsDeps {
  pipeline: Pipeline;
  history: HistoryService;
  ingest: IngestService | null;
  clients: () => number;
}

/**
 * Meridian's figures for Prometheus (GET /metrics), in a registry of its own so that two
 * servers in one process (tests) never share counters. Ingest counts are read from IngestStats
 * when scraped; durations are observed as they happen.
 */
export function createMetrics(deps: MetricsDeps): Registry {
  const register = new Registry();
  // Process CPU, memory, GC and event-loop delay (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register, eventLoopMonitoringPrecision: 20 });
  const stats = deps.ingest?.stats ?? null;

  new Counter({
    name: 'meridian_ingest_records_total',
    help: 'Device records counted (accepted), by source; duplicates are accepted and counted again under outcome="duplicate".',
    labelNames: ['source', 'outcome'] as const,
    registers: [register],
    collect() {
      this.reset();
      if (!stats) return;
      for (const source of ['mqtt', 'http'] as const) {
        this.inc({ source, outcome: 'accepted' }, stats.accepted[source]);
        this.inc({ source, outcome: 'duplicate' }, stats.duplicates[source]);
      }
    },
  });
  new Counter({
    name: 'meridian_ingest_rejected_total',
    help: 'Device records dropped, by source and reason.',
    labelNames: ['source', 'reason'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const [source, reason, n] of stats?.drops() ?? []) this.inc({ source, reason }, n);
    },
  });
  const lag = new Histogram({
    name: 'meridian_ingest_lag_seconds',
    help: 'Receive time minus event time of counted status and telemetry records.',
    labelNames: ['source'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600, 86_400],
    registers: [register],
  });
  if (stats) stats.lagObserver = (source, seconds) => lag.observe({ source }, seconds);
  new Gauge({
    name: 'meridian_ingest_devices',
    help: 'Devices real sources have described.',
    registers: [register],
    collect() {
      this.set(deps.ingest?.engine.devices.size ?? 0);
    },
  });

  const tick = new Histogram({
    name: 'meridian_tick_duration_seconds',
    help: 'Time to close a tick: aggregate, build every watched view, send, record history.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [register],
  });
  deps.pipeline.onTickDone((t) => tick.observe(t.durationMs / 1000));
  const write = new Histogram({
    name: 'meridian_store_write_seconds',
    help: 'Time of each history write (one transaction of the pending rows).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [register],
  });
  deps.history.onFlush((ms) => write.observe(ms / 1000));
  new Gauge({
    name: 'meridian_socket_clients',
    help: 'Browsers and other Socket.IO clients connected.',
    registers: [register],
    collect() {
      this.set(deps.clients());
    },
  });
  new Counter({
    name: 'meridian_late_dropped_total',
    help: 'Traffic reports older than the lateness window, dropped by the aggregator.',
    registers: [register],
    collect() {
      this.reset();
      this.inc(deps.pipeline.aggregator.tooLateCount);
    },
  });
  return register;
}
