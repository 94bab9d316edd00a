// What each IIFE bundle is made of, largest first: for deciding what to cut when a budget is tight.
import { build } from 'esbuild';
for (const e of ['src/entries/binder-iife.ts', 'src/entries/popup-iife.ts']) {
  const r = await build({ entryPoints: [e], bundle: true, minify: true, write: false, metafile: true, format: 'iife', target: 'es2020', define: { __VERSION__: '"x"' } });
  const ins = Object.entries(r.metafile.outputs)[0][1].inputs;
  const top = Object.entries(ins).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 25);
  console.log(e); for (const [f, v] of top) console.log(String(v.bytesInOutput).padStart(7), f);
}
