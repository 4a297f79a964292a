/** The worker's Prometheus metrics as a subscriber of the check path: monitor/ never touches the registry itself. */
import { metrics } from '../http/metrics.js';
import type { SchedulerEvents } from '../monitor/scheduler.js';
import type { CheckListener } from '../monitor/types.js';

export function metricsListener(): CheckListener & SchedulerEvents {
  return {
    onDocument(r) {
      metrics.checks.inc({ outcome: r.outcome });
      if (r.fetchMs !== undefined) metrics.fetchDuration.observe({ outcome: r.outcome }, r.fetchMs / 1000);
      if (r.severity && (r.outcome === 'changed' || r.outcome === 'gone')) metrics.changes.inc({ severity: r.severity });
      if (r.outcome !== 'error') metrics.lastSuccess.set({ model: r.model }, Date.now() / 1000);
    },
    onModelsTracked: (count) => metrics.models.set(count),
    onLastSuccess: (model, atMs) => metrics.lastSuccess.set({ model }, atMs / 1000),
    onModelRemoved: (model) => metrics.lastSuccess.remove({ model }),
    onDeadline: () => metrics.deadlines.inc(),
    onOverdueCount: (count) => metrics.overdue.set(count),
  };
}
