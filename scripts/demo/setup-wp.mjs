// Sets the demo's WordPress up against the demo PBX (scripts/demo.sh): the PBX's WebSocket, domain, first
// account and numbers come from the reference stack, or from VODIA_DEMO_CONFIG and the environment for
// your own PBX. They reach configure-wp.php in its environment, so the password is in no process list.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readStack } from '../pbx/baresip-control.mjs';

const here = import.meta.dirname;
const runDir = process.env.VODIA_WP_RUN_DIR;
const own = process.env.VODIA_DEMO_CONFIG;
const stack = own ? undefined : readStack();
const config = own ? JSON.parse(readFileSync(own, 'utf8')) : { server: stack.ws, domain: stack.domain };
const numbers = stack?.numbers ?? JSON.parse(process.env.VODIA_DEMO_NUMBERS ?? '{"echo":"100"}');

execFileSync('php', [resolve(here, 'configure-wp.php'), `${runDir}/site`, `${runDir}/site.json`, `${runDir}/demo.json`], {
  stdio: 'inherit',
  env: {
    ...process.env,
    VODIA_DEMO_WP_SERVER: config.server,
    VODIA_DEMO_WP_DOMAIN: config.domain,
    VODIA_DEMO_WP_EXTENSION: stack ? stack.accounts[0].user : process.env.VODIA_DEMO_EXTENSION,
    VODIA_DEMO_WP_PASSWORD: stack ? stack.accounts[0].password : process.env.VODIA_DEMO_PASSWORD,
    VODIA_DEMO_WP_NUMBERS: JSON.stringify(numbers),
  },
});
