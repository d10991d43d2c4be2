import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

type Esbuild = typeof import('esbuild');

/**
 * esbuild comes with tsx (a dependency: it runs the service's TypeScript), so the harness needs no package of
 * its own. Resolved from tsx's folder in case npm does not hoist it.
 */
function esbuild(): Esbuild {
  const fromTsx = path.dirname(require.resolve('tsx/package.json', { paths: [REPO] }));
  return require(require.resolve('esbuild', { paths: [fromTsx, REPO] })) as Esbuild;
}

/**
 * The page bundle: page.tsx with React, @grafana/data|ui|runtime, rxjs, lodash, emotion and react-router from
 * node_modules (production builds, as Grafana ships them). About 8 MB, built in seconds and cached under
 * node_modules/.cache by the hash of its inputs.
 */
export async function buildHarnessBundle(): Promise<{ js: string; css: string | null }> {
  const entry = path.join(__dirname, 'page.tsx');
  const hash = createHash('sha256');
  for (const f of [
    entry,
    path.join(__dirname, 'api.ts'),
    path.join(REPO, 'src/charts/testIds.ts'),
    path.join(REPO, 'src/charts/measures.ts'),
    path.join(REPO, 'package-lock.json'),
  ]) {
    hash.update(fs.existsSync(f) ? fs.readFileSync(f) : f);
  }
  const dir = path.join(REPO, 'node_modules/.cache/dtk-browser-harness');
  const js = path.join(dir, `harness-${hash.digest('hex').slice(0, 16)}.js`);
  const cssFile = js.replace(/\.js$/, '.css');
  if (!fs.existsSync(js)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${js}.${process.pid}.tmp.js`;
    const es = esbuild();
    await es
      .build({
        entryPoints: [entry],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'chrome120',
        minify: true,
        legalComments: 'none',
        outfile: tmp,
        absWorkingDir: REPO,
        tsconfig: path.join(__dirname, '../tsconfig.json'),
        define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
        // Fonts inline (the code editor's icon font among them): the page needs no other files.
        loader: { '.svg': 'text', '.png': 'dataurl', '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
        logLevel: 'error',
      })
      // esbuild keeps a service process for further builds: none come, and it would keep Jest from exiting.
      .finally(() => es.stop());
    if (fs.existsSync(tmp.replace(/\.js$/, '.css'))) {
      fs.renameSync(tmp.replace(/\.js$/, '.css'), cssFile);
    }
    // Renamed last: a complete bundle or none (parallel runs build their own temporary file).
    fs.renameSync(tmp, js);
    // Bundles of earlier inputs are never used again.
    for (const f of fs.readdirSync(dir)) {
      if (/^harness-[0-9a-f]{16}\.(js|css)$/.test(f) && !js.endsWith(f) && !cssFile.endsWith(f)) {
        fs.rmSync(path.join(dir, f), { force: true });
      }
    }
  }
  return { js, css: fs.existsSync(cssFile) ? cssFile : null };
}
