/**
 * Real n8n 2.x, driven through its CLI: provision the runtime (scripts/n8n-runtime.sh), install this package into
 * a fresh user folder as a community package, import credentials and workflows, execute headless.
 *
 * Everything here is asynchronous on purpose: the Plek sandbox and the HR API run in the calling process and must
 * keep serving while n8n runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { brokerPortEnv } from './ports';

export const REPO_DIR = resolve(__dirname, '..', '..');
const RUNTIME_SCRIPT = join(REPO_DIR, 'scripts', 'n8n-runtime.sh');

export interface Runtime {
	node: string;
	nodeBinDir: string;
	n8nBin: string;
	n8nVersion: string;
	dir: string;
}

/** Installs the runtime when needed (progress goes to stderr) and returns its paths. */
export function ensureRuntime(options: { quiet?: boolean } = {}): Runtime {
	const status = spawnSync('bash', [RUNTIME_SCRIPT, 'status'], { encoding: 'utf8' });
	if (status.status !== 0) {
		const install = spawnSync('bash', [RUNTIME_SCRIPT, 'install'], {
			stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', options.quiet ? 'pipe' : 'inherit'],
			encoding: 'utf8',
		});
		if (install.status !== 0) {
			throw new Error(`scripts/n8n-runtime.sh install failed (exit ${install.status})${install.stderr ? `:\n${install.stderr}` : ''}`);
		}
	}
	const env = spawnSync('bash', [RUNTIME_SCRIPT, 'env'], { encoding: 'utf8' });
	if (env.status !== 0) throw new Error(`scripts/n8n-runtime.sh env failed: ${env.stderr}`);
	const values: Record<string, string> = {};
	for (const line of env.stdout.split('\n')) {
		const match = /^export (\w+)=(.*)$/.exec(line.trim());
		// printf %q output for plain paths is the path itself; unquote the simple cases
		if (match) values[match[1]] = match[2].replace(/^'(.*)'$/, '$1').replace(/\\(.)/g, '$1');
	}
	return {
		node: values.PLEK_NODE24,
		nodeBinDir: values.PLEK_NODE24_BIN,
		n8nBin: values.PLEK_N8N_BIN,
		n8nVersion: values.PLEK_N8N_VERSION,
		dir: values.PLEK_RUNTIME_DIR,
	};
}

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

/**
 * Runs a command without blocking the event loop. With `stdoutFile`, stdout goes to that file (read back and
 * removed at the end): a process that calls process.exit() right after a large write loses the unflushed rest of it
 * on a pipe, never on a file (n8n execute printing the run data of 300 users did).
 */
export function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; echo?: boolean; stdoutFile?: string } = {},
): Promise<CommandResult> {
	const started = Date.now();
	return new Promise((resolvePromise, reject) => {
		const stdoutFd = options.stdoutFile ? openSync(options.stdoutFile, 'w') : undefined;
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
		});
		if (stdoutFd !== undefined) closeSync(stdoutFd); // the child has its own copy
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			stdout += chunk.toString('utf8');
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr += chunk.toString('utf8');
			if (options.echo) process.stderr.write(chunk);
		});
		const timer = options.timeoutMs
			? setTimeout(() => {
					child.kill('SIGKILL');
					reject(new Error(`${command} ${args.join(' ')} timed out after ${options.timeoutMs} ms\n${stderr.slice(-4000)}`));
				}, options.timeoutMs)
			: undefined;
		child.on('error', reject);
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			if (options.stdoutFile) {
				stdout = existsSync(options.stdoutFile) ? readFileSync(options.stdoutFile, 'utf8') : '';
				rmSync(options.stdoutFile, { force: true });
			}
			resolvePromise({ code, stdout, stderr, durationMs: Date.now() - started });
		});
	});
}

/** `npm pack` of the built package (dist/ must exist: `npm run build`). Returns the tarball's path. */
export async function packPackage(outDir: string): Promise<string> {
	if (!existsSync(join(REPO_DIR, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	mkdirSync(outDir, { recursive: true });
	const result = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', outDir], { cwd: REPO_DIR, env: cleanNpmEnv() });
	if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
	const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{ filename: string }>;
	return join(outDir, info.filename);
}

/** The environment without the npm_* variables `npm run` sets (they would leak the repo's npm config). */
export function cleanNpmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// npm_*: the repo's npm config from `npm run`; JEST_*/NODE_ENV=test: jest's, which silence n8n's output.
		if (!/^(npm_(config|package|lifecycle)_|JEST_)/i.test(key) && key !== 'NODE_ENV') env[key] = value;
	}
	return { ...env, ...extra };
}

export interface CredentialExport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, any> & { name: string; type: string; parameters: Record<string, any> }>;
	connections: Record<string, any>;
	settings?: Record<string, any>;
	[key: string]: unknown;
}

export interface NodeRun {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	error?: { message: string; description?: string; [key: string]: unknown };
	data?: { main: Array<Array<{ json: Record<string, any> }> | null> };
}

export interface ExecutionResult extends CommandResult {
	ok: boolean;
	/** n8n's IRun as printed by `n8n execute --rawOutput` (undefined when nothing parseable came out). */
	run?: { status?: string; data: { resultData: { runData: Record<string, NodeRun[]>; error?: any; lastNodeExecuted?: string } } };
	/** Items per output of a node's last run: output(name)[0] is the first output's json items. */
	output(nodeName: string): Array<Array<Record<string, any>>>;
	/** The error message of the execution, if it failed. */
	errorMessage?: string;
	/** n8n printed a complete, successful run but its process then did not exit cleanly (code in `code`). */
	crashedAfterRun: boolean;
}

/** One n8n user folder (its own SQLite database, settings and community packages). */
export class N8nInstance {
	private constructor(
		readonly runtime: Runtime,
		readonly userFolder: string,
		private readonly extraEnv: NodeJS.ProcessEnv,
		readonly encryptionKey: string,
	) {}

	static create(
		runtime: Runtime,
		options: { userFolder?: string; env?: NodeJS.ProcessEnv; encryptionKey?: string } = {},
	): N8nInstance {
		const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'plek-n8n-'));
		mkdirSync(join(userFolder, '.n8n'), { recursive: true });
		return new N8nInstance(runtime, userFolder, options.env ?? {}, options.encryptionKey ?? randomBytes(24).toString('hex'));
	}

	env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
		return cleanNpmEnv({
			PATH: `${this.runtime.nodeBinDir}:${process.env.PATH ?? ''}`,
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'warn',
			N8N_LOG_OUTPUT: 'console',
			N8N_NO_COLOR: 'true',
			GENERIC_TIMEZONE: 'Europe/Amsterdam',
			TZ: 'Europe/Amsterdam',
			...this.extraEnv,
			...extra,
		});
	}

	/**
	 * The environment for one n8n process: env() plus a task broker port of its own (N8N_RUNNERS_BROKER_PORT is
	 * 5679 by default, so a second n8n on the machine would fail with "Task Broker's port 5679 is already in use").
	 */
	processEnv(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
		return brokerPortEnv(this.env(extra));
	}

	/** Runs `n8n <args>` with Node 24 in this user folder. */
	async cli(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; echo?: boolean } = {}): Promise<CommandResult> {
		return run(this.runtime.node, [this.runtime.n8nBin, ...args], {
			cwd: this.userFolder,
			stdoutFile: join(this.userFolder, `stdout-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.log`),
			env: await this.processEnv(options.env),
			timeoutMs: options.timeoutMs ?? 300_000,
			echo: options.echo,
		});
	}

	private async cliOk(args: string[]): Promise<CommandResult> {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
		}
		return result;
	}

	/** Installs a package tarball the way n8n's community package installer does: under <userFolder>/.n8n/nodes. */
	async installCommunityPackage(tarball: string): Promise<void> {
		const nodesDir = join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		if (!existsSync(join(nodesDir, 'package.json'))) {
			writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
		}
		// --legacy-peer-deps: the peer dependency n8n-workflow is n8n's own copy, never a second one.
		const result = await run(
			'npm',
			['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error', tarball],
			{ cwd: nodesDir, env: cleanNpmEnv(), timeoutMs: 300_000 },
		);
		if (result.code !== 0) throw new Error(`installing ${tarball} failed:\n${result.stderr}`);
	}

	private writeTemp(name: string, content: unknown): string {
		const dir = join(this.userFolder, 'imports');
		mkdirSync(dir, { recursive: true });
		const file = join(dir, `${Date.now()}-${Math.random().toString(36).slice(2, 8)}-${name}`);
		writeFileSync(file, JSON.stringify(content, null, 2));
		return file;
	}

	async importCredentials(credentials: CredentialExport[]): Promise<void> {
		const file = this.writeTemp('credentials.json', credentials);
		await this.cliOk(['import:credentials', `--input=${file}`]);
		rmSync(file);
	}

	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		if (!workflow.id) throw new Error(`workflow "${workflow.name}" needs an id to be imported and executed`);
		const file = this.writeTemp('workflow.json', workflow);
		await this.cliOk(['import:workflow', `--input=${file}`]);
		return workflow.id;
	}

	/** `n8n execute --id=<id> --rawOutput`, parsed. Never throws for a failed execution: look at `ok`. */
	async execute(workflowId: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ExecutionResult> {
		// `execute` prints the run data through n8n's logger at level info.
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			...options,
			env: { N8N_LOG_LEVEL: 'info', ...options.env },
		});
		const run = parseRunOutput(result.stdout) ?? parseRunOutput(result.stderr);
		const runData = run?.data?.resultData?.runData ?? {};
		const error = run?.data?.resultData?.error;
		const errorMessage =
			error?.message ??
			(result.code !== 0 && run === undefined ? lastMeaningfulLines(`${result.stdout}\n${result.stderr}`) : undefined);
		return {
			...result,
			run,
			// Judged by the run data n8n printed, not by the exit code alone: see `crashedAfterRun`.
			ok: !error && run !== undefined && (run.status === undefined || run.status === 'success'),
			crashedAfterRun: result.code !== 0 && run !== undefined && !error,
			errorMessage,
			output: (nodeName: string) => {
				const runs = runData[nodeName];
				if (!runs || runs.length === 0) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(runData).join(', ')})`);
				const last = runs[runs.length - 1];
				if (last.error) throw new Error(`node "${nodeName}" failed: ${last.error.message}`);
				return (last.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json));
			},
		};
	}

	cleanup(): void {
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

function lastMeaningfulLines(text: string): string {
	return text
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.slice(-15)
		.join('\n');
}

/** The end (exclusive) of the JSON object starting at `start`, by brace matching outside strings. */
function objectEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{') depth++;
		else if (c === '}' && --depth === 0) return i + 1;
	}
	return -1;
}

/** Finds the run data JSON n8n printed (log lines may come before and after it). */
export function parseRunOutput(text: string): ExecutionResult['run'] | undefined {
	for (let index = text.indexOf('{'); index >= 0; index = text.indexOf('\n{', index + 1)) {
		const start = text[index] === '{' ? index : index + 1;
		const end = objectEnd(text, start);
		if (end < 0) continue;
		try {
			const parsed = JSON.parse(text.slice(start, end));
			if (parsed && typeof parsed === 'object' && parsed.data?.resultData) return parsed;
		} catch {
			// not this one
		}
	}
	return undefined;
}

export function listFiles(dir: string): string[] {
	return existsSync(dir) ? readdirSync(dir) : [];
}
