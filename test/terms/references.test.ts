import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/terms/index.js';

const urls = (text: string): string[] => analyze(text).references.map((r) => r.url);

describe('references a text binds the licensee to', () => {
  const notice = 'Licensed under the Zeta Public License, Version 1.1 (the "License");\nyou may not use this file except in compliance with the License.\nYou may obtain a copy of the License at\n\n    https://zeta.example/licenses/ZPL-1.1\n\nUnless required by applicable law, software is distributed "AS IS".\n';

  it('a notice applying a license kept elsewhere ("You may obtain a copy of the License at <URL>") binds to the URL', () => {
    expect(urls(`PART A: CODE\n\nCopyright 2031 Zeta Labs.\n\n${notice}`)).toEqual(['https://zeta.example/licenses/ZPL-1.1']);
  });

  it('the same notice in a "how to apply" template of the license itself is not a reference, and a later license part is read again', () => {
    const template = `ZETA PUBLIC LICENSE\n\n1. You may copy the Work.\n\nEND OF TERMS AND CONDITIONS\n\nHow to apply the Zeta Public License to your work.\n\n${notice}`;
    expect(urls(template)).toEqual([]);
    const then = `${template}\nWEIGHTS LICENSE AGREEMENT\n\nYour use must comply with the Zeta rules at https://zeta.example/rules/weights, which are incorporated by reference.\n`;
    expect(urls(then)).toEqual(['https://zeta.example/rules/weights']);
  });

  it('terms added after the end of a license, under a heading of any case, are read again', () => {
    const license = 'Zeta Public License\n\n1. Grant. Each Contributor grants You a copyright license to the Work.\n\nEND OF TERMS AND CONDITIONS\n\n';
    const after = (heading: string) => `${license}${heading}\n\nYour use of the Zeta Model must comply with the Zeta Rules at https://zeta.example/legal/model-rules, which are incorporated into this License.\n`;
    for (const heading of ['## Additional Terms for the Zeta Model', 'Additional terms for the Zeta Model', 'Supplement A: model terms']) {
      expect(urls(after(heading))).toEqual(['https://zeta.example/legal/model-rules']);
    }
    // And after a how-to-apply template, once a heading starts the added terms.
    const template = `${license}How to apply the Zeta Public License to your work.\n\n${notice}\n## Model terms\n\nYour use must comply with the Zeta Rules at https://zeta.example/legal/model-rules, which are incorporated by reference.\n`;
    expect(urls(template)).toEqual(['https://zeta.example/legal/model-rules']);
    // "How to apply for a commercial license" is a heading about the reader, not a template for others.
    expect(urls(`${license}How to apply for a commercial license\n\nYou must comply with the Zeta Rules at https://zeta.example/legal/model-rules.\n`)).toEqual(['https://zeta.example/legal/model-rules']);
  });

  it('a license named by its URL in parentheses is a reference, with or without a verb and an SPDX id', () => {
    const text = 'For the tokenizer, the Orca license terms (BSD-3-Clause , https://orca.example/tokenizer/LICENSE) and the Kelp conditions (https://kelp.example/terms/v2) apply to the vocabulary files.\n';
    expect(urls(text)).toEqual(['https://orca.example/tokenizer/LICENSE', 'https://kelp.example/terms/v2']);
    const policy = analyze('Deployments follow the Kelp Acceptable Use Policy (https://kelp.example/rules/v3).\n').references;
    expect(policy.map((r) => [r.url, r.role])).toEqual([['https://kelp.example/rules/v3', 'acceptable-use']]);
  });

  it('a privacy policy, a site\'s terms, or a dataset\'s own license named in passing are not terms for the reader', () => {
    expect(urls('We process personal data as described in our Privacy Policy (https://orca.example/privacy) and our website terms (https://orca.example/site-terms).\n')).toEqual([]);
    expect(urls('The Model was trained with the Kelp corpus, released under its own license (CC-BY-4.0, https://kelp.example/corpus-license).\n')).toEqual([]);
    expect(urls('The Kelp corpus license (https://kelp.example/corpus-license) describes the corpus.\n')).toEqual([]);
  });

  it('a copier\'s "a copy of the License at" without a notice applying it, and a page named in passing, are not references', () => {
    expect(urls('This file is a mirror. You may obtain a copy of the License at https://zeta.example/licenses/ZPL-1.1 if you want.\n')).toEqual([]);
    expect(urls('For more examples, see the [Orca guide](https://orca.example/docs/guide).\n')).toEqual([]);
  });
});

describe('a "how to apply" template ends at the next heading of any case', () => {
  const head = 'QUILL PUBLIC LICENSE\n\n1. You may copy the Work.\n\nEND OF TERMS AND CONDITIONS\n\n';
  it('a mixed-case addendum after the template binds to its URL, and a change of that URL is material', async () => {
    const { compare: compareTexts } = await import("../../src/terms/compare.js");
    const add = (u: string) => `${head}### Supplementary Conditions for Heron Weights\n\nDeployments of Heron Weights must adhere to the Heron Conduct Rules at https://heron.example/${u}, which form part of this License.\n`;
    expect(urls(add('conduct/v1'))).toEqual(['https://heron.example/conduct/v1']);
    expect(compareTexts(add('conduct/v1'), add('conduct/v9')).severity).toBe('material');
  });
  it('the template\'s own notice stays skipped, and a typo in the addendum heading is not material', async () => {
    const { compare: compareTexts } = await import("../../src/terms/compare.js");
    const tpl = `${head}How to apply the Quill Public License to your work\n\nLicensed under the Quill Public License (the "License"); you may not use this file except in compliance with the License. You may obtain a copy of the License at\n\n    https://quill.example/licenses/QPL\n\n`;
    expect(urls(tpl)).toEqual([]);
    const add = (h: string) => `${tpl}### ${h} for Heron Weights\n\nDeployments of Heron Weights must adhere to the Heron Conduct Rules at https://heron.example/conduct/v1.\n`;
    expect(urls(add('Supplementary Conditions'))).toEqual(['https://heron.example/conduct/v1']);
    expect(compareTexts(add('Supplementary Conditions'), add('Supplementary Condtions')).severity).not.toBe('material');
  });
});

describe('a policy or license named by its URL in parentheses', () => {
  it('a privacy notice, the site\'s terms or a dataset\'s own license named in passing is no reference', () => {
    expect(urls('We handle account data as our Privacy Notice (https://plover.example/privacy) describes.\n')).toEqual([]);
    expect(urls('Browsing is covered by the site terms (https://plover.example/site-terms).\n')).toEqual([]);
    expect(urls('The Gull corpus keeps its own license (CC-BY-4.0, https://gull.example/corpus/LICENSE).\n')).toEqual([]);
  });
  it('a license the text applies by its URL in parentheses is still one', () => {
    expect(urls('The tokenizer files are under the Plover tokenizer conditions (https://plover.example/tokenizer/terms).\n')).toEqual(['https://plover.example/tokenizer/terms']);
  });
});
