import type { Settings } from '../config/settings.js';
import type { Source } from './types.js';
import { WebSource } from './web.js';

/** The registry of source kinds: a new kind is a file in sources/ and one line here. */
export function createSources(settings: Settings): Source[] {
  void settings;
  return [new WebSource()];
}
