import fs from 'node:fs';
import path from 'node:path';
import { anchor } from '../scripts/docs/markdown';

/**
 * Every relative link and image in docs/**\/*.md and README.md points at a file that exists, and every `#fragment`
 * at a heading of the target page (GitHub's anchors).
 */

const REPO = path.resolve(__dirname, '..');

/** Pages other work writes (the forecast and custom detectors): links to them are fine before they exist. */
const PENDING = new Set(['docs/detectors-forecast.md']);

function pages(): string[] {
  const docs = fs
    .readdirSync(path.join(REPO, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs];
}

/** Markdown without fenced code blocks and code spans, where links are not links. */
function prose(text: string): string {
  return text.replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\s*\2\s*$/gm, '').replace(/`+[^`\n]*?`+/g, '');
}

function anchors(rel: string): Set<string> {
  const text = fs.readFileSync(path.join(REPO, rel), 'utf8');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = anchor(m[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  // Headings keep their code spans' text: recompute from the raw lines as well.
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    out.add(anchor(m[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')));
  }
  return out;
}

test.each(pages())('%s: relative links and anchors resolve', (rel) => {
  const text = prose(fs.readFileSync(path.join(REPO, rel), 'utf8'));
  const broken: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith('<')) {
      continue;
    }
    const [file, fragment] = target.split('#') as [string, string | undefined];
    const resolved = file ? path.normalize(path.join(path.dirname(rel), file)) : rel;
    if (!fs.existsSync(path.join(REPO, resolved))) {
      if (!PENDING.has(resolved)) {
        broken.push(`${target}: no file ${resolved}`);
      }
      continue;
    }
    if (fragment && resolved.endsWith('.md') && !anchors(resolved).has(fragment)) {
      broken.push(`${target}: no heading #${fragment} in ${resolved}`);
    }
  }
  expect(broken).toEqual([]);
});
