/**
 * `npm run screenshot`: a screenshot of the Active Directory template open in the n8n editor, taken with Debian's
 * headless Chromium, into docs/screenshots/ad-template.png.
 *
 * Runs on Node 24 (the runtime's Node, for its built-in WebSocket): starts n8n with the package, the sandbox and the
 * templates (as `npm start` does, in a temporary folder), sets up the owner account, logs in through the REST API,
 * and drives Chromium over the DevTools protocol. Needs `chromium` (apt-get install chromium) and `npm run build`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEditor } from './lib/editor';
import { startEnvironment } from './lib/environment';
import { freePort } from './lib/ports';
import { REPO_DIR } from './lib/n8n';
import { groupSeed } from './lib/samples';
import { localTemplate, placeSampleCsv, TEMPLATE_NAMES } from './lib/templates';

const OUTPUT = join(REPO_DIR, 'docs', 'screenshots', 'ad-template.png');
const WORKFLOW_ID = 'PlekAdLdapSync01';
const WIDTH = 1680;
const HEIGHT = 960;

const say = (line: string) => console.log(`[screenshot] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function findChromium(): string {
	for (const candidate of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
		if (candidate && existsSync(candidate)) return candidate;
	}
	throw new Error('Chromium not found: apt-get install -y chromium (or set CHROMIUM=/path/to/chrome)');
}

/** A minimal Chrome DevTools Protocol client over Node's built-in WebSocket (Node 22+). */
class Cdp {
	private nextId = 1;
	private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();

	private constructor(private readonly socket: any) {
		socket.addEventListener('message', (event: { data: string }) => {
			const message = JSON.parse(String(event.data));
			const waiter = message.id !== undefined ? this.pending.get(message.id) : undefined;
			if (!waiter) return;
			this.pending.delete(message.id);
			if (message.error) waiter.reject(new Error(`${message.error.message} (${message.error.code})`));
			else waiter.resolve(message.result);
		});
	}

	static async connect(url: string): Promise<Cdp> {
		const WebSocketImpl = (globalThis as any).WebSocket;
		if (!WebSocketImpl) throw new Error('no global WebSocket: run this script with Node 22+ (npm run screenshot does)');
		const socket = new WebSocketImpl(url);
		await new Promise<void>((resolve, reject) => {
			socket.addEventListener('open', () => resolve());
			socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)));
		});
		return new Cdp(socket);
	}

	send(method: string, params: Record<string, unknown> = {}): Promise<any> {
		const id = this.nextId++;
		this.socket.send(JSON.stringify({ id, method, params }));
		return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
	}

	async evaluate<T>(expression: string): Promise<T> {
		const result = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
		return result.result?.value as T;
	}

	close() {
		this.socket.close();
	}
}

async function main() {
	if (!existsSync(join(REPO_DIR, 'dist', 'nodes'))) {
		say('Building the package (npm run build)...');
		if (spawnSync('npm', ['run', 'build'], { cwd: REPO_DIR, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
	}
	const chromiumPath = findChromium();
	const work = mkdtempSync(join(tmpdir(), 'plek-screenshot-'));
	const filesDir = join(work, 'files');
	const csvPath = placeSampleCsv(filesDir);
	say('Starting n8n with the package, the sandbox and the sample directory...');
	const env = await startEnvironment({ ldap: true, hrApi: true, log: say, n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
	let chromium: ReturnType<typeof spawn> | undefined;
	let editor: Awaited<ReturnType<typeof startEditor>> | undefined;
	try {
		env.sandbox.load(groupSeed());
		await env.n8n.importWorkflow(localTemplate('error-workflow', env));
		for (const name of TEMPLATE_NAMES) await env.n8n.importWorkflow(localTemplate(name, env, { csvPath }));
		editor = await startEditor(env, { port: await freePort() });
		const cookie = await editor.login();
		say(`n8n editor at ${editor.url}; opening the AD template in headless Chromium...`);

		const profile = join(work, 'chromium-profile');
		mkdirSync(profile, { recursive: true });
		chromium = spawn(
			chromiumPath,
			[
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-dev-shm-usage',
				'--hide-scrollbars',
				`--user-data-dir=${profile}`,
				'--remote-debugging-port=0',
				`--window-size=${WIDTH},${HEIGHT}`,
				'about:blank',
			],
			{ stdio: 'ignore' },
		);
		let port = 0;
		for (let i = 0; i < 100 && !port; i++) {
			await sleep(200);
			const file = join(profile, 'DevToolsActivePort');
			if (existsSync(file)) port = Number(readFileSync(file, 'utf8').split('\n')[0]);
		}
		if (!port) throw new Error('Chromium did not open its DevTools port');
		const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
		const page = targets.find((t) => t.type === 'page');
		if (!page) throw new Error('no Chromium page target');
		const cdp = await Cdp.connect(page.webSocketDebuggerUrl);
		await cdp.send('Network.enable');
		await cdp.send('Network.setCookie', { name: 'n8n-auth', value: cookie, url: editor.url, path: '/' });
		await cdp.send('Emulation.setDeviceMetricsOverride', { width: WIDTH, height: HEIGHT, deviceScaleFactor: 1, mobile: false });
		await cdp.send('Page.enable');
		await cdp.send('Page.navigate', { url: `${editor.url}/workflow/${WORKFLOW_ID}` });

		// Wait until the canvas shows the workflow's nodes, then give it a moment to fit the view.
		let nodes = 0;
		for (let i = 0; i < 120 && nodes < 8; i++) {
			await sleep(500);
			nodes = (await cdp.evaluate<number>("document.querySelectorAll('.vue-flow__node').length").catch(() => 0)) ?? 0;
		}
		if (nodes < 8) {
			const text = await cdp.evaluate<string>('document.body.innerText.slice(0, 500)').catch(() => '');
			throw new Error(`the workflow did not render (found ${nodes} nodes). Page says: ${text}`);
		}
		await sleep(1500);
		// Close whatever toast or pop-up n8n shows to a new user, then fit the workflow to the view ("1" in n8n).
		await cdp.evaluate("document.querySelectorAll('.el-notification__closeBtn, .el-dialog__headerbtn').forEach(b => b.click())");
		await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: '1', code: 'Digit1', text: '1' });
		await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: '1', code: 'Digit1' });
		await sleep(1500);
		const shot = await cdp.send('Page.captureScreenshot', { format: 'png' });
		mkdirSync(join(REPO_DIR, 'docs', 'screenshots'), { recursive: true });
		writeFileSync(OUTPUT, Buffer.from(shot.data, 'base64'));
		cdp.close();
		say(`Wrote ${OUTPUT} (${nodes} nodes on the canvas).`);
	} finally {
		chromium?.kill('SIGKILL');
		await editor?.stop();
		await env.close();
		rmSync(work, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(`screenshot failed: ${(error as Error).message}`);
		process.exit(1);
	},
);
