/** What a team declares it does with a model, and the shape of the answer. Pure data. See docs/uses.md. */

export const USES = {
  internal: 'employees only, no outside users, nothing distributed.',
  'client-pilot': 'a deployment for one client, in their environment, no weights handed over.',
  'product-feature': 'part of a product you sell or run for users, the model runs server-side, weights not exposed.',
  'hosted-api': 'the model offered to third parties as an API or service (model-as-a-service).',
  'redistribute-weights': 'the original weights leave your hands (downloads, container images, on-device apps, CI artifacts).',
  'distribute-derivatives': 'fine-tuned or modified weights given to others (a client handoff, a public release).',
  'train-on-outputs': 'outputs used to train, fine-tune or improve another model.',
} as const;

export type Use = keyof typeof USES;
export const USE_NAMES = Object.keys(USES) as Use[];

export type VerdictValue = 'yes' | 'no' | 'maybe';

/** Where a verdict or condition was read: `text === documentText.slice(start, end)` of that document version. */
export interface VerdictEvidence {
  text: string;
  start: number;
  end: number;
  /** The document's locator (hf:LICENSE, url:https://…). */
  document: string;
  /** 1-based version number as `termdrift history` counts it, when known. */
  version: number | null;
}

export type ConditionKind =
  | 'notice'
  | 'copy-of-license'
  | 'attribution-display'
  | 'naming'
  | 'use-policy'
  | 'use-restrictions'
  | 'pass-on-restrictions'
  | 'share-alike'
  | 'source-offer'
  | 'hosting-terms'
  | 'scale-limit'
  | 'output-terms'
  | 'registration'
  | 'obligation';

export interface Condition {
  kind: ConditionKind;
  summary: string;
  evidence: VerdictEvidence;
}

export interface Verdict {
  use: Use;
  verdict: VerdictValue;
  /** One plain sentence. */
  reason: string;
  /** For `maybe`: the question to put to counsel or the licensor. */
  ask?: string;
  conditions: Condition[];
  evidence: VerdictEvidence[];
}

export interface Declared {
  uses: readonly Use[];
  regions?: readonly string[];
  usage?: Readonly<Record<string, number>>;
}
