import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The worker's Prometheus metrics, one registry for the process. Other modules increment these directly
 * (the alert outbox counts deliveries with `metrics.alertDeliveries.inc({ channel, status })`).
 */
export const registry = new Registry();

export const metrics = {
  /** Document checks by outcome: new | changed | unchanged | gone | error. */
  checks: new Counter({ name: 'termdrift_checks_total', help: 'Document checks by outcome', labelNames: ['outcome'], registers: [registry] }),
  /** Model checks cut off by TERMDRIFT_CHECK_TIMEOUT. */
  deadlines: new Counter({ name: 'termdrift_check_deadlines_total', help: 'Model checks that reached their deadline', registers: [registry] }),
  changes: new Counter({ name: 'termdrift_changes_total', help: 'Changes detected by severity', labelNames: ['severity'], registers: [registry] }),
  alertDeliveries: new Counter({
    name: 'termdrift_alert_deliveries_total',
    help: 'Alert delivery attempts by channel and status (sent | failed | retrying)',
    labelNames: ['channel', 'status'],
    registers: [registry],
  }),
  fetchDuration: new Histogram({
    name: 'termdrift_fetch_duration_seconds',
    help: 'Time to fetch one document, by outcome',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  }),
  lastSuccess: new Gauge({
    name: 'termdrift_last_success_timestamp_seconds',
    help: 'Unix time of the last successful document check, per model',
    labelNames: ['model'],
    registers: [registry],
  }),
  overdue: new Gauge({ name: 'termdrift_models_overdue', help: 'Models whose last check is older than twice their schedule period', registers: [registry] }),
  models: new Gauge({ name: 'termdrift_models', help: 'Models in the watchlist in force', registers: [registry] }),
};

let defaultsCollected = false;

/** Process metrics (memory, CPU, event-loop lag); once per process, since prom-client refuses duplicates. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry, prefix: 'termdrift_' });
}
