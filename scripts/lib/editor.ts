/**
 * The n8n editor with everything loaded (for `npm start` and the screenshot script): `n8n start` on Node 24 in an
 * environment from startEnvironment, the credentials and templates imported, and an owner account set up through
 * n8n's REST API so nobody has to click through the set-up form.
 */
import { ChildProcess, spawn } from 'node:child_process';

import type { E2eEnvironment } from './environment';

export const OWNER = {
	email: 'admin@plek.example',
	password: 'Plek-demo-2026',
	firstName: 'Plek',
	lastName: 'Admin',
};

export interface RunningEditor {
	url: string;
	process: ChildProcess;
	/** The `n8n-auth` session cookie of the owner. */
	login(): Promise<string>;
	stop(): Promise<void>;
}

async function waitFor(url: string, timeoutMs: number, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode}:\n${output().slice(-3000)}`);
		try {
			const response = await fetch(url);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not answer on ${url} within ${timeoutMs / 1000} s:\n${output().slice(-3000)}`);
}

export async function startEditor(
	env: E2eEnvironment,
	options: { port: number; echo?: boolean; extraEnv?: NodeJS.ProcessEnv },
): Promise<RunningEditor> {
	const url = `http://localhost:${options.port}`;
	const child = spawn(env.runtime.node, [env.runtime.n8nBin, 'start'], {
		cwd: env.n8n.userFolder,
		env: await env.n8n.processEnv({
			N8N_PORT: String(options.port),
			N8N_HOST: 'localhost',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_EDITOR_BASE_URL: url,
			WEBHOOK_URL: `${url}/`,
			N8N_LOG_LEVEL: 'info',
			...options.extraEnv,
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const collect = (chunk: Buffer) => {
		output += chunk.toString('utf8');
		if (output.length > 200_000) output = output.slice(-100_000);
		if (options.echo) process.stdout.write(chunk);
	};
	child.stdout!.on('data', collect);
	child.stderr!.on('data', collect);
	await waitFor(`${url}/healthz/readiness`, 180_000, child, () => output);

	// Owner set-up (once per user folder): n8n 2.x shows a set-up form until an owner exists.
	const settings = (await (await fetch(`${url}/rest/settings`)).json()) as { data?: { userManagement?: { showSetupOnFirstLoad?: boolean } } };
	if (settings.data?.userManagement?.showSetupOnFirstLoad !== false) {
		const response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!response.ok) throw new Error(`owner set-up failed: HTTP ${response.status} ${await response.text()}`);
	}

	const login = async () => {
		const response = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password }),
		});
		if (!response.ok) throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
		const cookie = (response.headers.getSetCookie?.() ?? [response.headers.get('set-cookie') ?? ''])
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('login gave no n8n-auth cookie');
		return cookie.slice('n8n-auth='.length);
	};

	const stop = async () => {
		if (child.exitCode !== null) return;
		child.kill('SIGTERM');
		await new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				resolve();
			}, 20_000);
			child.once('exit', () => {
				clearTimeout(timer);
				resolve();
			});
		});
	};
	return { url, process: child, login, stop };
}
