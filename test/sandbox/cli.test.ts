import axios from 'axios';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

describe('sandbox command line', () => {
	it('--help lists every flag with its default', () => {
		const result = spawnSync(tsx, ['sandbox/cli.ts', '--help'], { cwd: root, encoding: 'utf8' });
		expect(result.status).toBe(0);
		for (const flag of [
			'--port', '--host', '--client-id', '--client-secret', '--static-token', '--token-ttl', '--seed-file',
			'--persist', '--latency', '--rps', '--fault-rate', '--drop-rate', '--seed', '--no-bulk',
			'--max-operations', '--max-payload', '--max-results', '--page-size', '--quiet',
		]) {
			expect(result.stdout).toContain(flag);
		}
		expect(result.stdout).toContain('(default sandbox-secret)');
	});

	it('refuses a malformed flag value with exit code 2', () => {
		const result = spawnSync(tsx, ['sandbox/cli.ts', '--fault-rate', 'lots'], { cwd: root, encoding: 'utf8' });
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('--fault-rate');
	});

	it('starts with the given flags, prints its URLs and stops cleanly on SIGTERM', async () => {
		const child: ChildProcess = spawn(
			tsx,
			['sandbox/cli.ts', '--port', '0', '--client-id', 'cli-client', '--client-secret', 'cli-secret', '--no-bulk', '--quiet'],
			{ cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		try {
			let output = '';
			child.stdout!.on('data', (chunk) => (output += chunk));
			const tokenUrl = await new Promise<string>((resolve, reject) => {
				const timer = setInterval(() => {
					const match = /token URL\s+(\S+)/.exec(output);
					if (match) {
						clearInterval(timer);
						resolve(match[1]);
					}
				}, 50);
				child.once('exit', (code) => {
					clearInterval(timer);
					reject(new Error(`sandbox exited early with ${code}: ${output}`));
				});
			});
			expect(output).toMatch(/SCIM base URL\s+http:\/\/127\.0\.0\.1:\d+\/scim\/v2/);
			expect(output).toContain('cli-client');
			expect(output).not.toContain('cli-secret');

			const token = await axios.post(
				tokenUrl,
				new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cli-client', client_secret: 'cli-secret' }),
			);
			const config = await axios.get(tokenUrl.replace('/oauth/token', '/scim/v2/ServiceProviderConfig'), {
				headers: { Authorization: `Bearer ${token.data.access_token}` },
			});
			expect(config.data.bulk.supported).toBe(false);

			const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});
});
