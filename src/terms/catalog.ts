/**
 * Model-license families, as data. Each entry names a family by its title (the first match in the text wins)
 * or, when the title is missing, by marker phrases. `{v}` in `id`/`name` takes the version captured by the
 * title, so a new release of a known family ("Llama 3.4") is still recognised, with its own version.
 * `{n}` takes the product name captured by the title (GLM, CogVideoX...), so a renamed license is a new id.
 * `family: 'derive'` means custom unless the text itself limits use to research/non-commercial purposes.
 */
import type { Family } from './types.js';

export interface CatalogEntry {
  key: string;
  id: string;
  name: string;
  /** Title pattern; named groups `v` (version) and `n` (product name) are optional. */
  title: RegExp;
  /** Phrases that identify the family when no title is present; all must occur. */
  markers?: RegExp[];
  family: Family | 'derive';
  /** What the family usually restricts (for people reading the catalog; not used by rules). */
  restricts: string[];
  /** Policies are not licenses: they carry no family of their own. */
  policy?: boolean;
}

const V = String.raw`(?<v>\d+(?:\.\d+){0,2})`;

export const CATALOG: CatalogEntry[] = [
  {
    key: 'llama-aup', id: 'llama-{v}-acceptable-use-policy', name: 'Llama {v} Acceptable Use Policy', family: 'unknown', policy: true,
    title: new RegExp(String.raw`\b(?:meta\s+)?llama\s*${V}[*\s]*acceptable\s+use\s+policy`, 'i'), restricts: ['prohibited uses'],
  },
  {
    key: 'llama', id: 'llama-{v}-community', name: 'Llama {v} Community License Agreement', family: 'custom',
    title: new RegExp(String.raw`\b(?:meta\s+)?llama\s*${V}\s+community\s+licen[cs]e`, 'i'),
    markers: [/\bLlama Materials\b/, /\bMeta Platforms\b/],
    restricts: ['700M monthly active users', 'acceptable use policy', 'naming of derivatives', 'attribution'],
  },
  {
    key: 'llama-1', id: 'llama-1-non-commercial', name: 'LLaMA License Agreement (non-commercial)', family: 'non-commercial',
    title: /\bllama\s+(?:1\s+)?license\s+agreement\b/i, restricts: ['non-commercial research only'],
  },
  {
    key: 'gemma-policy', id: 'gemma-prohibited-use-policy', name: 'Gemma Prohibited Use Policy', family: 'unknown', policy: true,
    title: /\bgemma\s+prohibited\s+use\s+policy\b/i, restricts: ['prohibited uses'],
  },
  {
    key: 'gemma', id: 'gemma-terms-of-use', name: 'Gemma Terms of Use', family: 'custom',
    title: /\bgemma\s+terms\s+of\s+use\b/i, markers: [/\bModel Derivatives\b/, /\bGemma\b/, /\bGoogle\b/],
    restricts: ['prohibited use policy', 'flow-down of use restrictions', 'remote restriction'],
  },
  {
    key: 'stability-community', id: 'stability-ai-community', name: 'Stability AI Community License Agreement', family: 'derive',
    title: /\bstability\s+ai\s+community\s+licen[cs]e\b/i,
    restricts: ['USD 1M annual revenue', 'registration for commercial use', 'outputs may not train foundation models'],
  },
  {
    key: 'stability-nc', id: '{n}', name: '{N}', family: 'derive',
    title: /\b(?<n>(?:stability\s+ai|stable\s+[a-z0-9.]+(?:\s+[a-z0-9.]+)?|sdxl[a-z0-9.\s-]*?|sd\s?[0-9.]+)\s+(?:non-commercial\s+)?(?:research\s+)?(?:community\s+)?licen[cs]e(?:\s+agreement)?)/i,
    restricts: ['non-commercial research', 'no hosted service'],
  },
  {
    key: 'flux-nc', id: 'flux-1-{n}-non-commercial', name: 'FLUX.1 [{n}] Non-Commercial License', family: 'non-commercial',
    title: new RegExp(String.raw`\bflux\.?1(?:\.\d)?\s*(?:kontext\s*)?\[(?<n>[a-z-]+)\]\s+non-commercial\s+licen[cs]e(?:\s+v?${V})?`, 'i'),
    restricts: ['non-commercial use', 'outputs may not train competing models'],
  },
  {
    key: 'openrail', id: '{n}', name: '{N}', family: 'derive',
    title: /(?<n>\b(?:creativeml\s+|bigscience\s+|bigcode\s+)?open\s?rail(?:\+\+)?-?[mdsa]?\b(?:\s+v\d(?:\.\d)?)?)/i,
    markers: [/\bAttachment A\b/, /\buse-based restrictions\b/i],
    restricts: ['use-based restrictions (Attachment A) flow down to derivatives'],
  },
  {
    key: 'bigscience-rail', id: 'bigscience-bloom-rail-{v}', name: 'BigScience RAIL License v{v}', family: 'derive',
    title: new RegExp(String.raw`\bbigscience\s+(?:bloom\s+)?rail\s+licen[cs]e\s+v?${V}`, 'i'),
    restricts: ['use-based restrictions flow down to derivatives'],
  },
  {
    key: 'glm', id: '{n}-license', name: 'The {N} License', family: 'derive',
    title: /\bthe\s+(?<n>(?:chat)?glm[\w.-]*)\s+(?:model\s+)?licen[cs]e\b/i, restricts: ['military or illegal use', 'PRC law'],
  },
  {
    key: 'cogvideo', id: '{n}-license', name: 'The {N} License', family: 'derive',
    title: /\bthe\s+(?<n>cog(?:video|view)x?[\w.-]*)\s+licen[cs]e\b/i, restricts: ['1M monthly visits', 'registration for commercial use'],
  },
  {
    key: 'deepfloyd', id: 'deepfloyd-if', name: 'DeepFloyd IF License Agreement', family: 'derive',
    title: /\bdeepfloyd\s+if\s+licen[cs]e(?:\s+agreement)?\b/i, restricts: ['non-commercial research'],
  },
  {
    key: 'qwen', id: 'qwen-{n}', name: 'Qwen {N}', family: 'derive',
    title: /\b(?:tongyi\s+qianwen|qwen)\s+(?<n>(?:research\s+)?licen[cs]e(?:\s+agreement)?)/i, restricts: ['100M monthly active users'],
  },
  {
    key: 'deepseek', id: 'deepseek-license', name: 'DeepSeek License Agreement', family: 'derive',
    title: /\bdeepseek\s+licen[cs]e\s+agreement\b/i, restricts: ['use-based restrictions'],
  },
  {
    key: 'falcon', id: 'falcon-{n}-license', name: 'Falcon {N} License', family: 'derive',
    title: /\bfalcon[\s-]*(?<n>[\w.-]*?(?:\s+tii)?)\s+licen[cs]e(?:\s+version\s+(?<v>\d+(?:\.\d+)?))?/i, restricts: ['acceptable use policy', 'hosting'],
  },
  {
    key: 'mistral-research', id: 'mistral-research', name: 'Mistral AI Research License', family: 'derive',
    title: /\bmistral\s+ai\s+(?:non-production\s+|research\s+)licen[cs]e\b/i, restricts: ['research only'],
  },
  {
    key: 'nvidia-open-model', id: 'nvidia-open-model', name: 'NVIDIA Open Model License Agreement', family: 'derive',
    title: /\bnvidia\s+open\s+model\s+licen[cs]e(?:\s+agreement)?\b/i, restricts: ['guardrails', 'trustworthy AI'],
  },
  {
    key: 'nomic-som', id: 'nomic-som-{v}', name: 'Software for Open Models License (SOM) {v}', family: 'copyleft',
    title: /\bsoftware\s+for\s+open\s+models\s+licen[cs]e(?:\s*\(SOM\))?(?:[\s\S]{0,20}?version\s+(?<v>\d+(?:\.\d+)?))?/i,
    restricts: ['models made or run with it must be published under open terms'],
  },
  {
    key: 'tencent-hunyuan', id: 'tencent-hunyuan-community', name: 'Tencent Hunyuan Community License Agreement', family: 'derive',
    title: /\btencent\s+hunyuan[\w\s.-]*community\s+licen[cs]e/i, restricts: ['territory', 'monthly active users'],
  },
  {
    key: 'ai2-impact', id: 'ai2-impact-{n}', name: 'AI2 ImpACT License {N}', family: 'derive',
    title: /\bai2\s+impact\s+licen[cs]e\s*[-–]?\s*(?<n>low|medium|high)\s+risk/i, restricts: ['derivative impact reports'],
  },
];

/** SPDX ids → family, by naming convention; texts that are neither fall back to OSI approval. */
export function spdxFamily(id: string, osiApproved: boolean): Family {
  if (/(^|-)NC(-|$)|NonCommercial|Noncommercial/i.test(id)) return 'non-commercial';
  if (/GPL|^MPL|^EPL|^EUPL|^CDDL|^OSL|CC-BY-SA|^ODbL|^CPAL|^SSPL|^RPL|^QPL|^Sleepycat|copyleft|^OFL/i.test(id)) return 'copyleft';
  if (osiApproved || /^(CC-BY-\d|CC0|ODC-By|PDDL|BSD|MIT|ISC|Apache|Zlib|Unlicense|BSL|0BSD|X11|WTFPL|Python|PSF)/i.test(id)) return 'permissive';
  return 'custom';
}
