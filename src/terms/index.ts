/** License intelligence: pure functions over text. No I/O, no clock, no network. See docs/terms.md. */
export * from './types.js';
export { ANALYZER_VERSION, analyze, factsFor } from './facts.js';
export { documentEvent, eventSeverity, type DocumentEventType } from './events.js';
export { compare, severityAtLeast, factChanges, metricLabel, licenseLabel, thresholdText } from './compare.js';
export { findInconsistencies } from './consistency.js';
export { excerpt } from './excerpt.js';
export { identify } from './identify.js';
export { parseAmount, findAmounts } from './numbers.js';
export { CATALOG } from './catalog.js';
