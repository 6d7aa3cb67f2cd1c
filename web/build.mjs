// Bundles the pages into the directory given as the first argument (weft-web's
// target/classes/dev/weft/web): every page's script with its npm dependencies into one file, the HTML
// and CSS as they are, and files.txt listing what was written (weft-server reads the bundle by that list).
// Installs node_modules first when it is missing or older than package-lock.json, so a fresh clone builds
// with `./mvnw verify` and later builds do not touch the network.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, 'target', 'classes', 'dev', 'weft', 'web'));
const installed = join(here, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(here, 'package-lock.json')).mtimeMs) {
  // No install scripts: esbuild finds its binary through its optional dependency without them, and nothing
  // else here needs one, so none runs on a build machine.
  console.log('[weft-web] npm ci --prefer-offline --ignore-scripts');
  execFileSync('npm', ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: here, stdio: 'inherit' });
}
const esbuild = await import('esbuild');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const src = join(here, 'src');
const files = (dir) => readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const sources = files(src);
for (const file of sources.filter((f) => /\.(html|css|svg)$/.test(f))) {
  const target = join(out, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
}
// Each page's entry is <page>/main.js; the shared code in src/lib is bundled into each page that imports it.
const entries = sources.filter((f) => f.endsWith(`${sep}main.js`));
await esbuild.build({
  entryPoints: entries.map((f) => ({ in: f, out: relative(src, f).replace(/\.js$/, '') })),
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  logLevel: 'warning',
});
const written = files(out).map((f) => relative(out, f).split(sep).join('/')).sort();
writeFileSync(join(out, 'files.txt'), written.join('\n') + '\n');
console.log(`[weft-web] ${written.length} files in ${out}`);
