/**
 * Real n8n for the reliability suite: a source served over HTTP from this process (the records of the moment), a
 * workflow Manual Trigger -> HTTP Request (the source) -> Plek Mapper (document mode, `$`: the record as it came)
 * -> Plek Sync, executions that can be SIGKILLed mid-apply, and a byte grep of n8n's files (SQLite database with
 * its WAL, logs) for secrets.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { CREDENTIALS } from '../../../scripts/lib/environment';
import { parseRunOutput, type N8nInstance, type WorkflowJson } from '../../../scripts/lib/n8n';

export interface SourceServer {
	url: string;
	/** What the next GET returns. */
	set(records: unknown[]): void;
	close(): Promise<void>;
}

/** Serves the current records as one JSON array (the HTTP Request node makes one item per element). */
export async function startSource(): Promise<SourceServer> {
	let body = '[]';
	const server: Server = createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/records`,
		set: (records) => void (body = JSON.stringify(records)),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export const MAPPER = 'Map to Plek users';
export const SYNC = 'Sync to Plek';

export function syncWorkflow(id: string, sourceUrl: string, sync: { parameters: Record<string, unknown>; continueOnFail?: boolean }): WorkflowJson {
	return {
		id,
		name: `Reliability ${id}`,
		nodes: [
			{ id: 'r1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'r2',
				name: 'Read the source',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [200, 0],
				parameters: { url: sourceUrl, options: { timeout: 120000 } },
			},
			{
				id: 'r3',
				name: MAPPER,
				type: 'n8n-nodes-plek.plekMapper',
				typeVersion: 1,
				position: [400, 0],
				// The hostile corpus is mostly invalid on purpose: the share that fails a run (a changed export) is lifted.
				parameters: { mode: 'document', document: '$', options: { maxInvalidPercent: 100 } },
			},
			{
				id: 'r4',
				name: SYNC,
				type: 'n8n-nodes-plek.plekSync',
				typeVersion: 1,
				position: [600, 0],
				parameters: { mode: 'apply', ...sync.parameters },
				...(sync.continueOnFail ? { continueOnFail: true, onError: 'continueRegularOutput' } : {}),
				credentials: { plekApi: { ...CREDENTIALS.plekApi } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Read the source', type: 'main', index: 0 }]] },
			'Read the source': { main: [[{ node: MAPPER, type: 'main', index: 0 }]] },
			[MAPPER]: { main: [[{ node: SYNC, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', saveDataErrorExecution: 'all', saveDataSuccessExecution: 'all', saveManualExecutions: true },
	};
}

export interface KillableRun {
	pid: number;
	/** Resolves when the process ended: exit code (null when killed) and its output. */
	done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; durationMs: number }>;
	kill(): void;
}

/** `n8n execute --id` as a child process this test can SIGKILL (n8n gets no chance to clean up). Its stdout goes to
 * a file, not a pipe: n8n exits right after printing the run data, and on a pipe the end of a large run can be lost. */
export async function startExecution(n8n: N8nInstance, workflowId: string, env: NodeJS.ProcessEnv = {}): Promise<KillableRun> {
	const started = Date.now();
	const stdoutFile = join(tmpdir(), `plek-reliab-stdout-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.log`);
	const stdoutFd = openSync(stdoutFile, 'w');
	// processEnv: a task broker port of its own (two n8n processes at once must not both want 5679).
	const child = spawn(n8n.runtime.node, [n8n.runtime.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
		cwd: n8n.userFolder,
		env: await n8n.processEnv({ N8N_LOG_LEVEL: 'info', ...env }),
		stdio: ['ignore', stdoutFd, 'pipe'],
	});
	closeSync(stdoutFd);
	const err: Buffer[] = [];
	child.stderr?.on('data', (c: Buffer) => void err.push(c));
	const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; durationMs: number }>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			const stdout = existsSync(stdoutFile) ? readFileSync(stdoutFile, 'utf8') : '';
			rmSync(stdoutFile, { force: true });
			resolve({ code, signal, stdout, stderr: Buffer.concat(err).toString('utf8'), durationMs: Date.now() - started });
		});
	});
	return { pid: child.pid as number, done, kill: () => void child.kill('SIGKILL') };
}

/** The end (exclusive) of the JSON value starting at `start` ('{'), by brace matching outside strings. */
function objectEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92) i++;
			else if (c === 34) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 123) depth++;
		else if (c === 125 && --depth === 0) return i + 1;
	}
	return -1;
}

type RunJson = { data: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, any> }> | null> } }>> } } };

/** The last run data object n8n printed whose Sync run holds outputs (debug logging prints other snapshots too). */
export function lastRun(text: string): RunJson | undefined {
	let found: RunJson | undefined;
	// Candidates: a '{' at a line start, or after a log prefix ("... | info  | {" with debug logging on the console).
	for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
		if (!(start === 0 || text[start - 1] === '\n' || text.slice(start - 2, start) === '| ')) continue;
		const end = objectEnd(text, start);
		if (end < 0) continue;
		try {
			const parsed = JSON.parse(text.slice(start, end));
			const runs = parsed?.data?.resultData?.runData?.[SYNC];
			// The complete run: the Sync's last run carries its outputs (log lines may print runs without data).
			if (Array.isArray(runs) && runs[runs.length - 1]?.data?.main) found = parsed;
			start = end - 1;
		} catch {
			// not this one
		}
	}
	return found;
}

/** The Sync's outputs of a finished `n8n execute --rawOutput`: [summary], changes, issues. */
export function syncOutputs(stdout: string, stderr = ''): { summary: Record<string, any>; changes: Record<string, any>[]; issues: Record<string, any>[] } | undefined {
	const run = lastRun(stdout) ?? lastRun(stderr) ?? (parseRunOutput(stdout) as RunJson | undefined);
	const runs = run?.data.resultData.runData[SYNC];
	const last = runs?.[runs.length - 1];
	const main = last?.data?.main;
	if (!main) return undefined;
	const json = (i: number) => (main[i] ?? []).map((item) => item.json);
	return { summary: json(0)[0], changes: json(1), issues: json(2) };
}

/** Waits until `predicate` holds (polled every 20 ms) or `timeoutMs` passed; returns whether it held. */
export async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (predicate()) return true;
		await new Promise((r) => setTimeout(r, 20));
	}
	return predicate();
}

/** Every file under `dir` (recursively), skipping installed packages. */
function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	const out: string[] = [];
	for (const entry of readdirSync(dir)) {
		if (entry === 'node_modules' || entry === 'nodes') continue;
		const path = join(dir, entry);
		const stat = statSync(path);
		if (stat.isDirectory()) out.push(...filesUnder(path));
		else if (stat.isFile()) out.push(path);
	}
	return out;
}

/** Which of `needles` occur (as bytes, also as base64) in any file of n8n's user folder: the SQLite database, its WAL
 * and journal, the logs. Returns "needle-name in file" per hit. */
export function grepUserFolder(userFolder: string, needles: Record<string, string>, extraFiles: string[] = []): { hits: string[]; files: string[] } {
	const files = [...filesUnder(join(userFolder, '.n8n')), ...extraFiles.filter((f) => existsSync(f))];
	const hits: string[] = [];
	for (const file of files) {
		const bytes = readFileSync(file);
		for (const [name, value] of Object.entries(needles)) {
			for (const form of [value, Buffer.from(value).toString('base64')]) {
				if (bytes.includes(Buffer.from(form, 'utf8'))) hits.push(`${name} in ${file}`);
			}
		}
	}
	return { hits, files };
}
