/**
 * Runs once before the e2e suites, outside jest's per-hook timeouts: the n8n runtime download (minutes, the first
 * time) and the OpenLDAP install must not count against a test's beforeAll.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { ensureRuntime, REPO_DIR } from '../../scripts/lib/n8n';

export default async function globalSetup(): Promise<void> {
	if (!existsSync(join(REPO_DIR, 'dist', 'nodes'))) {
		throw new Error('dist/ is missing: run `npm run build` before `npm run test:e2e`');
	}
	const started = Date.now();
	const runtime = ensureRuntime();
	const ldap = spawnSync('bash', [join(REPO_DIR, 'scripts', 'ldap-server.sh'), 'install'], { stdio: ['ignore', 'inherit', 'inherit'] });
	if (ldap.status !== 0) throw new Error('OpenLDAP (slapd) is not available and could not be installed');
	console.log(`\n[e2e] n8n ${runtime.n8nVersion} on Node 24 and OpenLDAP ready (${Math.round((Date.now() - started) / 1000)} s)`);
}
