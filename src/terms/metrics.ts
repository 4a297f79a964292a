/**
 * The scale metrics a threshold can be about (terms/thresholds.ts names them), which are also the keys of a model's
 * declared `usage` in the watchlist. A small module of its own: the watchlist schema reads it without the analyser.
 */
export const METRICS = [
  'monthly_active_users',
  'daily_active_users',
  'active_users',
  'users',
  'monthly_visits',
  'visits',
  'devices',
  'downloads',
  'employees',
  'annual_revenue',
  'monthly_revenue',
  'revenue',
] as const;

export type Metric = (typeof METRICS)[number];

export function isMetric(name: string): name is Metric {
  return (METRICS as readonly string[]).includes(name);
}
