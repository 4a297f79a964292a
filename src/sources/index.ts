import type { Settings } from '../config/settings.js';
import { GitHubSource } from './github.js';
import { HuggingFaceSource } from './huggingface.js';
import { setHostConcurrency } from './politeness.js';
import { ReferencesSource } from './references.js';
import type { Source } from './types.js';
import { WebSource } from './web.js';

/**
 * The registry of source kinds: a new kind is a file in sources/ and one line here. Order matters:
 * references runs last because it follows the links found in what the others just stored. What the models of one
 * run share (linked pages) is not here but in the run (CheckContext.linkedPages), so sources live as long as the caller.
 */
export function createSources(settings: Settings): Source[] {
  // The per-host limits are shared by every source (and every caller: the worker, `check`): set them from the settings.
  setHostConcurrency(settings.hostConcurrency, settings.hostLimits);
  return [
    new HuggingFaceSource({ endpoint: settings.hfEndpoint, token: settings.hfToken }),
    new GitHubSource({ apiUrl: settings.githubApiUrl, token: settings.githubToken }),
    new WebSource(),
    new ReferencesSource({ allowPrivateNetwork: settings.allowPrivateNetwork, hfEndpoint: settings.hfEndpoint }),
  ];
}
