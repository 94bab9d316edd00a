// A small static HTTP server on 127.0.0.1 for tests, the demo and the benchmark: folders mounted
// at URL prefixes, plus generated files (a page, a makecall.config.json). No dependencies.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.wav': 'audio/wav',
};

/**
 * @param {{ mounts?: Record<string, string>, files?: Record<string, string | (() => string)>,
 *   routes?: Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void>, port?: number,
 *   headers?: Record<string, string> }} options
 *   mounts: URL prefix ('/dist/') -> folder; files: exact path -> content (or a function giving it);
 *   routes: exact path -> a handler of its own (an event stream, say); headers: sent with every answer.
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startStaticServer({ mounts = {}, files = {}, routes = {}, port = 0, headers = {} } = {}) {
  const server = createServer(async (req, res) => {
    // Sent with every answer (a Content-Security-Policy, say), as a site's server would.
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (routes[path]) return routes[path](req, res);
    const generated = files[path];
    if (generated !== undefined) {
      const body = typeof generated === 'function' ? generated() : generated;
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? TYPES['.html'], 'Cache-Control': 'no-store' });
      return res.end(body);
    }
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const root = resolve(dir);
      const file = normalize(join(root, path.slice(prefix.length) || 'index.html'));
      if (file !== root && !file.startsWith(root + sep)) break; // no climbing out of the folder
      try {
        if (!(await stat(file)).isFile()) break;
        // Static files are cacheable as on any real site (a returning visitor's popup loads from cache);
        // generated files (configs, test pages) above stay no-store.
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'max-age=600' });
        return res.end(await readFile(file));
      } catch {
        break;
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', ok));
  const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}
