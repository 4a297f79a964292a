import core from './001-core.js';
import alerts from './003-alerts.js';
import findings from './006-findings.js';
import systemAlerts from './007-system-alerts.js';
import changeIndexes from './008-change-indexes.js';
import signoffVerdicts from './009-signoff-verdicts.js';
import dashboardIndexes from './010-dashboard-indexes.js';
import derivation from './011-derivation.js';
import modelFailures from './012-model-failures.js';
import provisions from './013-provisions.js';

/** Ordered, append-only. The database's user_version is the number applied. */
export const migrations: string[] = [core, findings, alerts, systemAlerts, changeIndexes, signoffVerdicts, dashboardIndexes, derivation, modelFailures, provisions];
